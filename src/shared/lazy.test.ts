import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { lazyPackage } from './lazy.js';
import { waitFor } from './wait.js';

const cache = createRequire(import.meta.url).cache;
const filesOf = (pkg: string) => Object.keys(cache).filter((f) => f.includes(`/node_modules/${pkg}/`));

test('a package with releaseAfterMs leaves require\'s cache after its last use and loads afresh on the next', async () => {
  // cron-parser: an on-first-use package nothing else in this test process loads.
  assert.deepEqual(filesOf('cron-parser'), [], 'cron-parser was loaded before the test');
  const cronParser = lazyPackage<typeof import('cron-parser')>('cron-parser', { releaseAfterMs: 50 });
  const first = cronParser();
  assert.ok(filesOf('cron-parser').length > 0, 'loading put its modules in the cache');
  assert.equal(cronParser(), first, 'a use within the time shares the load');
  await waitFor(() => filesOf('cron-parser').length === 0, { timeoutMs: 5_000, intervalMs: 10, what: 'the release' });
  const second = cronParser();
  assert.notEqual(second, first, 'the next use loaded the package again');
  assert.equal(typeof second.CronExpressionParser.parse, 'function');
});

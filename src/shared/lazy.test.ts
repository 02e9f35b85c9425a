import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
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

test('a release in a process with gc exposed gives the sparse pages it leaves back (a compacting collection)', () => {
  // A heap two thirds garbage, spread over every page; one ordinary full collection frees the
  // objects but keeps most of those pages (measured: ~5.6 MB of 17 committed stayed free).
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--input-type=module', '-e', `
    import v8 from 'node:v8';
    import { lazyPackage } from ${JSON.stringify(fileURLToPath(new URL('./lazy.ts', import.meta.url)))};
    const old = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space');
    let keep = [];
    for (let i = 0; i < 200000; i++) keep.push({ a: i, b: 'x' + i, c: [i] });
    gc(); gc();
    keep = keep.filter((_, i) => i % 3 === 0);
    lazyPackage('cron-parser', { releaseAfterMs: 10 })();
    await new Promise((r) => setTimeout(r, 2000));
    const s = old();
    console.log(JSON.stringify({ free: s.space_size - s.space_used_size, kept: keep.length }));
  `], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const { free, kept } = JSON.parse(child.stdout) as { free: number; kept: number };
  assert.equal(kept, 66_667);
  assert.ok(free < 1.5 * 1024 * 1024, `${(free / 1048576).toFixed(1)} MB of old space stayed committed but free`);
});

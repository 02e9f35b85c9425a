/**
 * Extracted releases go once no dyno is made from them: the local driver
 * would otherwise keep two copies of every release's app on disk forever.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_STACK_PATH } from '../../config/index.js';
import { newId } from '../../shared/ids.js';
import { silentLogger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { createSlugArchive } from '../../slugs/index.js';
import { collectingLogSink, packFixtureSlug } from '../../../test/support/runtime-fixtures.js';
import type { DynoEvent, DynoSpec } from '../types.js';
import { appTemplate } from './app-copies.js';
import { createLocalDriver } from './index.js';
import { createReleaseDirs } from './release-dirs.js';

const home = mkdtempSync(join(tmpdir(), 'cupaas-release-dirs-'));
after(() => rmSync(home, { recursive: true, force: true }));
const releases = join(home, 'releases');
const sha = (checksum: string) => checksum.replace(/^SHA256:/, '');
/** A slug of its own (the fixture slug is the same bytes every time). */
const packSlug = async (name: string): Promise<string> => {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-release-dirs-app-'));
  try {
    writeFileSync(join(dir, `${name}.txt`), name);
    return (await createSlugArchive(join(home, 'slugs')).pack(dir)).checksum;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

test('prune removes the extracted slugs and templates no dyno is made from, keeps the others, and a later start extracts again', async () => {
  const a = await packSlug('a');
  const b = await packSlug('b');
  const dirs = createReleaseDirs(releases, createSlugArchive(join(home, 'slugs')));
  for (const c of [a, b]) await appTemplate(await dirs.ensure(c));
  assert.deepEqual(readdirSync(releases).sort(), [sha(a), `${sha(a)}.rw`, sha(b), `${sha(b)}.rw`].sort());

  assert.equal(await dirs.prune(new Set([b])), 2);
  assert.deepEqual(readdirSync(releases).sort(), [sha(b), `${sha(b)}.rw`].sort());

  const again = await dirs.ensure(a);
  assert.ok(existsSync(join(again, 'a.txt')), 'extracted again from its slug');
});

test('the local driver prunes a release once its last dyno has ended', async () => {
  const checksum = (await packFixtureSlug(home)).checksum;
  const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 5000, stopTimeoutMs: 3000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 } };
  const driver = createLocalDriver({ config, logs: collectingLogSink(), logger: silentLogger }, { pruneAfterMs: 50 });
  try {
    const events: DynoEvent[] = [];
    driver.subscribe((e) => events.push(e));
    const spec: DynoSpec = {
      dynoId: newId(), appId: newId(), name: 'worker.1', processType: 'worker', releaseId: 'r1', releaseVersion: 1,
      artifact: { slugChecksum: checksum, image: null }, command: 'exec sleep 600',
      size: 'standard-1x', env: { DYNO: 'worker.1' }, web: false, healthCheckPath: null,
    };
    driver.start(spec);
    await waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === spec.dynoId), { what: 'worker up', timeoutMs: 60_000 });
    assert.ok(existsSync(join(releases, sha(checksum))) && existsSync(join(releases, `${sha(checksum)}.rw`)));
    await driver.stop(spec.dynoId);
    await waitFor(() => !readdirSync(releases).some((n) => n.startsWith(sha(checksum))), { what: 'the release pruned', timeoutMs: 30_000 });
  } finally {
    await driver.close();
  }
});

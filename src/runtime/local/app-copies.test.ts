import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runChecked } from '../../shared/process.js';
import { tempDir } from '../../../test/support/temp.js';
import { copyApp } from './app-copies.js';
import { removeTree } from './files.js';

const roots: string[] = [];
after(async () => {
  // Release dirs are read-only; removeTree makes them writable first.
  for (const r of roots) await removeTree(r);
});

/** A read-only release dir as the local driver extracts one: a script with its exec bit and a nested file. */
async function releaseDir(): Promise<{ root: string; release: string }> {
  const root = tempDir('cupaas-app-copies');
  roots.push(root);
  const release = join(root, 'abc123');
  mkdirSync(join(release, 'lib'), { recursive: true });
  writeFileSync(join(release, 'start.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(release, 'start.sh'), 0o755);
  writeFileSync(join(release, 'lib', 'data.txt'), 'original');
  await runChecked(['chmod', '-R', 'a-w', release]);
  return { root, release };
}

test('each dyno gets its own writable copy; the release and other copies stay as they were', async () => {
  const { root, release } = await releaseDir();
  const a = join(root, 'dyno-a', 'app');
  const b = join(root, 'dyno-b', 'app');
  await copyApp(release, a);
  await copyApp(release, b);

  writeFileSync(join(a, 'lib', 'data.txt'), 'changed by a');
  writeFileSync(join(a, 'new.txt'), 'new');
  assert.equal(readFileSync(join(release, 'lib', 'data.txt'), 'utf8'), 'original');
  assert.equal(readFileSync(join(b, 'lib', 'data.txt'), 'utf8'), 'original');
  assert.deepEqual(readdirSync(b).sort(), ['lib', 'start.sh']);
  assert.equal(statSync(join(b, 'start.sh')).mode & 0o755, 0o755, 'exec bits kept, owner can write');
  assert.equal(statSync(release).mode & 0o200, 0, 'the release dir is still read-only');
});

test('concurrent first copies of a release make one template and leave no temporary dirs', async () => {
  const { root, release } = await releaseDir();
  await Promise.all(Array.from({ length: 5 }, (_, i) => copyApp(release, join(root, `dyno-${i}`, 'app'))));
  const beside = readdirSync(root).filter((n) => !n.startsWith('dyno-')).sort();
  assert.deepEqual(beside, ['abc123', 'abc123.rw']);
  for (let i = 0; i < 5; i++) assert.equal(readFileSync(join(root, `dyno-${i}`, 'app', 'lib', 'data.txt'), 'utf8'), 'original');
});

test('a sandboxed dyno copy belongs to the dyno user, from a template of its own', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async () => {
  const { root, release } = await releaseDir();
  const owner = { uid: 65534, gid: 65534 };
  const app = join(root, 'dyno', 'app');
  await copyApp(release, app, owner);
  for (const path of [app, join(app, 'start.sh'), join(app, 'lib', 'data.txt')]) {
    assert.equal(statSync(path).uid, owner.uid, path);
    assert.equal(statSync(path).mode & 0o200, 0o200, `${path} writable by its owner`);
  }
  assert.ok(readdirSync(root).includes('abc123.rw-65534'));
});

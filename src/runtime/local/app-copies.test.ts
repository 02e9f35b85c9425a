import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { run, runChecked } from '../../shared/process.js';
import { tempDir } from '../../../test/support/temp.js';
import { appTemplate, withAppCopy, type AppOwner } from './app-copies.js';
import { removeTree } from '../../shared/tree.js';

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

/** Does what a launcher does for one dyno: the release's template, then the copy as the dyno's first step, running `script` in it. */
async function copyApp(release: string, appDir: string, owner?: AppOwner, script = 'true'): Promise<void> {
  const template = await appTemplate(release, owner);
  await runChecked(withAppCopy(template, appDir, ['/bin/sh', '-c', script]));
}

test('each dyno gets its own writable copy, made by its first step; the release and other copies stay as they were', async () => {
  const { root, release } = await releaseDir();
  const a = join(root, 'dyno-a', 'app');
  const b = join(root, 'dyno-b', 'app');
  mkdirSync(join(root, 'dyno-a'));
  mkdirSync(join(root, 'dyno-b'));
  await copyApp(release, a, undefined, 'pwd > where && echo "changed by a" > lib/data.txt && echo new > new.txt');
  await copyApp(release, b);

  assert.equal(readFileSync(join(a, 'where'), 'utf8').trim(), a, 'the command runs in its copy');
  assert.equal(readFileSync(join(a, 'lib', 'data.txt'), 'utf8').trim(), 'changed by a');
  assert.equal(readFileSync(join(release, 'lib', 'data.txt'), 'utf8'), 'original');
  assert.equal(readFileSync(join(b, 'lib', 'data.txt'), 'utf8'), 'original');
  assert.deepEqual(readdirSync(b).sort(), ['lib', 'start.sh']);
  assert.equal(statSync(join(b, 'start.sh')).mode & 0o755, 0o755, 'exec bits kept, owner can write');
  assert.equal(statSync(release).mode & 0o200, 0, 'the release dir is still read-only');
});

test('a copy that fails ends the dyno before its command runs', async () => {
  const { root, release } = await releaseDir();
  const template = await appTemplate(release);
  const r = await run(withAppCopy(template, join(root, 'no-such-dir', 'app'), ['/bin/sh', '-c', 'echo ran']));
  assert.notEqual(r.code, 0);
  assert.doesNotMatch(r.stdout, /ran/);
  assert.match(r.stderr, /cp: /);
});

test('concurrent first dynos of a release make one template and leave no temporary dirs', async () => {
  const { root, release } = await releaseDir();
  for (let i = 0; i < 5; i++) mkdirSync(join(root, `dyno-${i}`));
  await Promise.all(Array.from({ length: 5 }, (_, i) => copyApp(release, join(root, `dyno-${i}`, 'app'))));
  const beside = readdirSync(root).filter((n) => !n.startsWith('dyno-')).sort();
  assert.deepEqual(beside, ['abc123', 'abc123.rw']);
  for (let i = 0; i < 5; i++) assert.equal(readFileSync(join(root, `dyno-${i}`, 'app', 'lib', 'data.txt'), 'utf8'), 'original');
});

test('a sandboxed dyno copy belongs to the dyno user, from a template of its own', { skip: process.getuid?.() !== 0 && 'needs root to chown' }, async () => {
  const { root, release } = await releaseDir();
  const owner = { uid: 65534, gid: 65534 };
  const app = join(root, 'dyno', 'app');
  mkdirSync(join(root, 'dyno'));
  await copyApp(release, app, owner);
  for (const path of [app, join(app, 'start.sh'), join(app, 'lib', 'data.txt')]) {
    assert.equal(statSync(path).uid, owner.uid, path);
    assert.equal(statSync(path).mode & 0o200, 0o200, `${path} writable by its owner`);
  }
  assert.ok(readdirSync(root).includes('abc123.rw-65534'));
});

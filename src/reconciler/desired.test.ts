/** The desired state read from a real store: the release's health-check path comes from its slug. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createAppService } from '../apps/index.js';
import type { App } from '../domain/index.js';
import { createReleaseService } from '../releases/index.js';
import { createEventBus } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { openStore } from '../store/index.js';
import { pullRef } from '../images/index.js';
import { desiredApp } from './desired.js';
import { dynoSpec } from './dyno-spec.js';

const dir = mkdtempSync(join(tmpdir(), 'cupaas-desired-'));
const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
const events = createEventBus();
const releases = createReleaseService({ store, events });
const apps = createAppService({ store, releases, events, teardowns: [], logger: silentLogger });
const user = store.users.create('d@example.com', 'd');

function deploy(app: App, healthCheckPath: string | null, failedReason?: string, imageId: string | null = null) {
  const slugId = newId();
  store.slugs.insert({
    id: slugId, appId: app.id, checksum: 'SHA256:x', size: 1, processTypes: { web: 'node server.js' }, commit: null,
    commitDescription: null, stack: 'cupaas-24', buildpackDescription: null, healthCheckPath, imageId, createdAt: new Date().toISOString(),
  });
  return releases.deploy(app, { slugId, description: 'Deploy', services: [], userId: user.id, ...(failedReason ? { failedReason } : {}) });
}

it("a release's health-check path is the one recorded with its slug; a later slug without one has none", () => {
  const app = apps.create('desired-hc', user.id);
  deploy(app, '/health');
  assert.equal(desiredApp(store, app).release?.healthCheckPath, '/health');
  deploy(app, null);
  assert.equal(desiredApp(store, app).release?.healthCheckPath, null);
});

it('a first deploy that failed to boot keeps running; one whose release phase failed never runs', () => {
  const app = apps.create('desired-first', user.id);
  const v2 = deploy(app, null);
  store.releases.setStatus(v2.id, 'failed', 'web.1 failed to boot: exited with status 1');
  assert.equal(desiredApp(store, app).release?.id, v2.id);
  const v3 = deploy(app, null, 'Release command failed: `exit 1` (release.1) exited with status 1');
  assert.equal(v3.status, 'failed');
  assert.equal(desiredApp(store, app).release?.id, v2.id, 'the release phase failure does not run');
  const v4 = deploy(app, null);
  assert.equal(desiredApp(store, app).release?.id, v4.id);
  store.releases.setStatus(v4.id, 'succeeded');
  const v5 = deploy(app, null);
  store.releases.setStatus(v5.id, 'failed', 'web.1 failed to boot: Error R10 (Boot timeout)');
  assert.equal(desiredApp(store, app).release?.id, v4.id, 'a boot failure after a good deploy falls back to it');
});

it("a release's image is pulled by its tag until its push records the registry's digest, then pinned by that digest", () => {
  const app = apps.create('desired-image', user.id);
  const v2 = deploy(app, null, undefined, 'sha256:engine-image-id');
  const imageRef = (name: string, r: { version: number; imageDigest: string | null }) => pullRef('127.0.0.1:5001', name, r);
  assert.deepEqual(desiredApp(store, app, imageRef).release?.artifact, {
    slugChecksum: 'SHA256:x', image: { id: 'sha256:engine-image-id', ref: '127.0.0.1:5001/desired-image:v2' },
  });
  const digest = `sha256:${'a'.repeat(64)}`;
  store.releases.setImageDigest(v2.id, digest);
  assert.equal(desiredApp(store, app, imageRef).release?.artifact.image?.ref, `127.0.0.1:5001/desired-image@${digest}`);
  assert.equal(store.releases.get(app.id, 2)?.imageDigest, digest);
});

it('a process type built from a Dockerfile of its own runs its own image, pulled from its own repository once pushed', () => {
  const app = apps.create('desired-types', user.id);
  const slugId = newId();
  store.slugs.insert({
    id: slugId, appId: app.id, checksum: 'sha256:web-image', size: 0, processTypes: { web: '', worker: '' }, commit: null, commitDescription: null,
    stack: 'container', buildpackDescription: '', healthCheckPath: null, imageId: 'sha256:web-image', processImages: { worker: { imageId: 'sha256:worker-image' } },
    createdAt: new Date().toISOString(),
  });
  const v = releases.deploy(app, { slugId, description: 'Deploy', services: [], userId: user.id });
  assert.equal(store.slugs.imageInUse('sha256:worker-image'), true, 'retention keeps a process type image a slug refers to');
  const imageRef = (name: string, r: { version: number; imageDigest: string | null }) => pullRef('reg:5000', name, r);
  const spec = (type: string) => {
    const release = desiredApp(store, app, imageRef).release!;
    return dynoSpec({ appId: app.id, appName: app.name, release, name: `${type}.1`, processType: type, command: '', size: 'standard-1x' }).artifact.image;
  };
  assert.deepEqual(spec('worker'), { id: 'sha256:worker-image', ref: `reg:5000/desired-types/worker:v${v.version}` });
  assert.deepEqual(spec('web'), { id: 'sha256:web-image', ref: `reg:5000/desired-types:v${v.version}` });
  const [web, worker] = [`sha256:${'b'.repeat(64)}`, `sha256:${'c'.repeat(64)}`];
  store.releases.setImageDigest(v.id, web, { worker });
  assert.equal(spec('worker')?.ref, `reg:5000/desired-types/worker@${worker}`);
  assert.equal(spec('web')?.ref, `reg:5000/desired-types@${web}`);
  assert.equal(spec('run')?.id, 'sha256:web-image', 'other types and one-off dynos run the main image');
});

it("a Compose service runs its own image as it says, pinned by digest like any process type's image, after its dependencies", () => {
  const app = apps.create('desired-compose', user.id);
  const slugId = newId();
  const run = (port: number | null, dependsOn: string[]) => ({ entrypoint: null, command: ['node', 'x.js'], port, env: { MODE: 'fast' }, dependsOn });
  store.slugs.insert({
    id: slugId, appId: app.id, checksum: 'sha256:web', size: 0, processTypes: { web: 'node x.js', worker: 'node x.js', cache: '' }, commit: null,
    commitDescription: null, stack: 'container', buildpackDescription: '', healthCheckPath: null, imageId: 'sha256:web',
    processImages: {
      web: { imageId: 'sha256:web', run: run(3000, ['worker']) },
      worker: { imageId: 'sha256:worker', run: run(4000, []) },
      cache: { imageId: 'sha256:redis', external: true, run: run(null, []) },
    },
    createdAt: new Date().toISOString(),
  });
  const v = releases.deploy(app, { slugId, description: 'Deploy', services: [], userId: user.id });
  assert.equal(store.slugs.imageInUse('sha256:redis'), true);
  const digest = `sha256:${'d'.repeat(64)}`;
  store.releases.setImageDigest(v.id, `sha256:${'e'.repeat(64)}`, { web: digest, worker: digest, cache: digest });
  const desired = desiredApp(store, app, (name, r) => pullRef('reg:5000', name, r));
  const web = desired.release?.processArtifacts?.web;
  assert.deepEqual(web, { slugChecksum: null, image: { id: 'sha256:web', ref: `reg:5000/desired-compose/web@${digest}` }, process: { entrypoint: null, command: ['node', 'x.js'], port: 3000 } });
  assert.equal(desired.release?.processArtifacts?.worker?.process?.port, null, 'only web listens for the router');
  assert.equal(desired.release?.processArtifacts?.cache?.image?.ref, `reg:5000/desired-compose/cache@${digest}`);
  const byType = Object.fromEntries(desired.processes.map((p) => [p.type, p]));
  assert.deepEqual(byType.web?.dependsOn, ['worker']);
  assert.deepEqual(byType.worker?.env, { MODE: 'fast' });
});

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
import { desiredApp } from './desired.js';

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

function deploy(app: App, healthCheckPath: string | null) {
  const slugId = newId();
  store.slugs.insert({
    id: slugId, appId: app.id, checksum: 'SHA256:x', size: 1, processTypes: { web: 'node server.js' }, commit: null,
    commitDescription: null, stack: 'cupaas-24', buildpackDescription: null, healthCheckPath, imageId: null, createdAt: new Date().toISOString(),
  });
  releases.deploy(app, { slugId, description: 'Deploy', services: [], userId: user.id });
}

it("a release's health-check path is the one recorded with its slug; a later slug without one has none", () => {
  const app = apps.create('desired-hc', user.id);
  deploy(app, '/health');
  assert.equal(desiredApp(store, app).release?.healthCheckPath, '/health');
  deploy(app, null);
  assert.equal(desiredApp(store, app).release?.healthCheckPath, null);
});

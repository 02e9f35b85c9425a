/** FormationService as the one owner of formation intent, on a real store. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createAppService } from '../apps/index.js';
import type { App, PlatformEvent } from '../domain/index.js';
import { createReleaseService } from '../releases/index.js';
import { createEventBus } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { openStore } from '../store/index.js';
import { createFormationService } from './formation-service.js';

const dir = mkdtempSync(join(tmpdir(), 'cupaas-formation-'));
const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});
const events = createEventBus<PlatformEvent>();
const seen: PlatformEvent[] = [];
events.subscribe((e) => seen.push(e));
const releases = createReleaseService({ store, events });
const apps = createAppService({ store, releases, events, teardowns: [], logger: silentLogger });
const user = store.users.create('f@example.com', 'f');
const formation = createFormationService({ store, events });

function deploy(app: App, processTypes: Record<string, string>) {
  const slugId = newId();
  store.slugs.insert({
    id: slugId, appId: app.id, checksum: 'SHA256:x', size: 1, processTypes, commit: null, commitDescription: null,
    stack: 'cupaas-24', imageId: null, buildpackDescription: null, healthCheckPath: null, createdAt: new Date().toISOString(),
  });
  releases.deploy(app, { slugId, description: 'Deploy', services: [], userId: user.id });
}

it('says how many dynos of a type an app wants: its row, else Heroku\'s default for a declared type, else none', () => {
  const app = apps.create('formation-q', user.id);
  assert.equal(formation.quantity(app.id, 'web'), 0, 'nothing deployed');
  deploy(app, { worker: 'node worker.js' });
  assert.equal(formation.quantity(app.id, 'web'), 0, 'a slug without web wants no web dyno (H14)');
  deploy(app, { web: 'node server.js', worker: 'node worker.js' });
  assert.equal(formation.quantity(app.id, 'web'), 1);
  assert.equal(formation.quantity(app.id, 'worker'), 0);
  formation.update(app, [{ type: 'worker', quantity: 3 }]);
  assert.equal(formation.quantity(app.id, 'worker'), 3);
});

it('records rows for new process types only (app.json defaults win), never for release', () => {
  const app = apps.create('formation-new', user.id);
  deploy(app, { web: 'a', worker: 'b', release: 'c' });
  formation.ensureProcessTypes(app, ['web', 'worker', 'release'], { worker: { quantity: 2, size: 'standard-2x' } });
  assert.deepEqual(store.formations.list(app.id).map((f) => [f.type, f.quantity, f.size]).sort(), [
    ['web', 1, 'standard-1x'], ['worker', 2, 'standard-2x'],
  ]);
  formation.update(app, [{ type: 'web', quantity: 0 }]);
  seen.length = 0;
  formation.ensureProcessTypes(app, ['web', 'worker'], {});
  assert.equal(formation.quantity(app.id, 'web'), 0, 'an existing row stays');
  assert.deepEqual(seen, []);
});

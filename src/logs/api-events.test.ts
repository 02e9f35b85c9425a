import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PlatformEvent } from '../domain/index.js';
import { createEventBus } from '../shared/events.js';
import { openStore } from '../store/index.js';
import { logPlatformEvents } from './api-events.js';
import { createLogBus } from './bus.js';

test('writes heroku[api] lines for releases, scaling and restarts', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-logs-'));
  const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const user = store.users.create('dev@example.com', 'dev');
  const now = new Date().toISOString();
  store.apps.insert({ id: 'app-1', name: 'demo', ownerId: user.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: now, updatedAt: now });
  store.releases.insert({ appId: 'app-1', description: 'Set FOO config vars', status: 'succeeded', slugId: null, config: {}, services: [], userId: user.id });
  const events = createEventBus<PlatformEvent>();
  const logs = createLogBus();
  const stop = logPlatformEvents({ events, logs, store });
  events.publish({ type: 'release.created', appId: 'app-1', version: 1, description: 'Set FOO config vars' });
  events.publish({ type: 'formation.changed', appId: 'app-1', processType: 'web', quantity: 3, size: 'standard-1x' });
  events.publish({ type: 'dyno.restart-requested', appId: 'app-1', target: { dynoName: 'web.2' } });
  stop();
  events.publish({ type: 'formation.changed', appId: 'app-1', processType: 'web', quantity: 1, size: 'standard-1x' });
  const lines = logs.recent('app-1', 100).map((e) => `${e.source}[${e.process}]: ${e.message}`);
  assert.deepEqual(lines, [
    'heroku[api]: Set FOO config vars by user dev@example.com',
    'heroku[api]: Release v1 created by user dev@example.com',
    'heroku[api]: Scaled to web@3:standard-1x',
    'heroku[api]: Restart web.2',
  ]);
});

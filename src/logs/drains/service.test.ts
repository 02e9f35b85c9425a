/** The drain service over a real store, the real log bus and a real HTTP collector on loopback. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { startHttpReceiver, type HttpReceiver } from '../../../test/support/log-receivers.js';
import type { PlatformEvent } from '../../domain/index.js';
import { createEventBus } from '../../shared/events.js';
import { createLogger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { openStore } from '../../store/index.js';
import { createLogBus } from '../bus.js';
import { createLogDrains } from './service.js';

async function setup(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-drains-'));
  const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
  const collector = await startHttpReceiver();
  const user = store.users.create('dev@example.com', 'dev');
  const now = new Date().toISOString();
  const app = { id: 'app-1', name: 'demo', ownerId: user.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: now, updatedAt: now };
  store.apps.insert(app);
  const events = createEventBus<PlatformEvent>();
  const logs = createLogBus();
  const drains = createLogDrains({
    store, logs, events, logger: createLogger({ level: 'error', write: () => {} }),
    drainOptions: { minBackoffMs: 50, maxBackoffMs: 200 }, outletOptions: { flushIntervalMs: 10, closeTimeoutMs: 1000 },
  });
  t.after(async () => {
    await drains.stop();
    await collector.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, collector, app, events, logs, drains, url: `http://127.0.0.1:${collector.port}/drain` };
}

const messages = (c: HttpReceiver) => c.requests.flatMap((r) => r.messages.map((m) => m.rest.slice(2, -1)));

test('restores stored drains at start and feeds them every line of the app', async (t) => {
  const { store, collector, app, logs, drains, url } = await setup(t);
  const t0 = new Date().toISOString();
  store.drains.insert({ id: '5d2c1a9e-0b7f-4c3e-8a1d-2e3f4a5b6c7d', appId: app.id, url, token: 'd.restored', createdAt: t0, updatedAt: t0 });
  drains.start();
  logs.write(app.id, { source: 'app', process: 'web.1', message: 'hello' });
  logs.write('other-app', { source: 'app', process: 'web.1', message: 'not mine' });
  logs.write(app.id, { source: 'heroku', process: 'router', message: 'at=info' });
  await waitFor(() => messages(collector).length === 2, { what: 'two lines at the collector' });
  assert.deepEqual(messages(collector), ['hello', 'at=info']);
  assert.equal(collector.requests[0]?.headers['logplex-drain-token'], 'd.restored');
});

test('an overflow shows once in the app\'s log and once in the drain', async (t) => {
  const { collector, app, logs, drains, url } = await setup(t);
  drains.start();
  drains.add(app, url);
  for (let i = 0; i < 1100; i++) logs.write(app.id, { source: 'app', process: 'web.1', message: `line ${i}` });
  await waitFor(() => messages(collector).length >= 1025, { what: 'the surviving lines at the collector' });
  const l10 = /^Error L10 \(output buffer overflow\): 76 messages dropped since /;
  assert.equal(messages(collector).filter((m) => l10.test(m)).length, 1);
  const inLog = logs.recent(app.id, 1500).filter((e) => l10.test(e.message));
  assert.deepEqual(inLog.map((e) => `${e.source}[${e.process}]`), ['heroku[logplex]']);
});

test('stops feeding an app\'s drains when the app is destroyed', async (t) => {
  const { collector, app, events, logs, drains, url } = await setup(t);
  drains.start();
  drains.add(app, url);
  logs.write(app.id, { source: 'app', process: 'web.1', message: 'before' });
  events.publish({ type: 'app.destroyed', appId: app.id, appName: app.name });
  logs.write(app.id, { source: 'app', process: 'web.1', message: 'after' });
  // stop() resolves once every outlet has delivered what it held: nothing can arrive later.
  await drains.stop();
  assert.deepEqual(messages(collector), ['before']);
});

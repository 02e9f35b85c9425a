import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../shared/wait.js';
import { startBackend, startBackendOn, startRouterFixture, type RouterFixture, type TestBackend } from '../../test/support/router-fixtures.js';
import { createDomainService, createNodeDataPlane } from './index.js';

let fx: RouterFixture;
const backends: TestBackend[] = [];
before(async () => {
  fx = await startRouterFixture(createNodeDataPlane, { quarantineMs: 60_000 });
});
after(async () => {
  await Promise.all(backends.map((b) => b.close()));
  await fx.cleanup();
});

test('follows custom domains and renames through platform events', async () => {
  const app = fx.addApp('shop');
  const b = await startBackend('web.1');
  backends.push(b);
  fx.router.setBackends(app.id, [b.backend]);
  const domains = createDomainService({ config: { baseDomain: 'localhost' }, store: fx.store, events: fx.events });
  domains.add(app, 'WWW.Example.com');
  assert.equal((await fx.get('www.example.com')).status, 200);

  fx.store.apps.update(app.id, { name: 'store' });
  fx.events.publish({ type: 'app.renamed', appId: app.id, appName: 'store', previousName: 'shop' });
  assert.equal((await fx.get('store.localhost')).status, 200);
  assert.equal((await fx.get('shop.localhost')).status, 404);

  domains.remove({ ...app, name: 'store' }, 'www.example.com');
  assert.equal((await fx.get('www.example.com')).status, 404);
});

test('a dyno that refused is skipped while quarantined, then used again', async (t) => {
  const local = await startRouterFixture(createNodeDataPlane, { quarantineMs: 500 });
  t.after(() => local.cleanup());
  const app = local.addApp('quarantine');
  const good = await startBackend('web.1');
  const flaky = await startBackend('web.2');
  backends.push(good);
  local.router.setBackends(app.id, [flaky.backend, good.backend]);
  await flaky.close();
  assert.equal((await local.get('quarantine.localhost')).status, 200);
  // The dyno comes back on the same port, but stays out of rotation until its quarantine ends.
  const back = await startBackendOn('web.2', flaky.backend.port);
  backends.push(back);
  for (let i = 0; i < 4; i++) assert.equal(JSON.parse((await local.get('quarantine.localhost')).body).dyno, 'web.1');
  await waitFor(async () => JSON.parse((await local.get('quarantine.localhost')).body).dyno === 'web.2', {
    what: 'web.2 back in rotation',
  });
});

test('stops routing to an app once it is destroyed', async () => {
  const app = fx.addApp('ephemeral');
  const b = await startBackend('web.1');
  backends.push(b);
  fx.router.setBackends(app.id, [b.backend]);
  assert.equal((await fx.get('ephemeral.localhost')).status, 200);
  fx.store.apps.delete(app.id);
  fx.events.publish({ type: 'app.destroyed', appId: app.id, appName: 'ephemeral' });
  assert.equal((await fx.get('ephemeral.localhost')).status, 404);
});

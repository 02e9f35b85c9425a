/**
 * When the runtime says its dynos cannot reach add-on servers on this host
 * (the kubernetes runtime without CUPAAS_KUBERNETES_PLATFORM_HOST), creating
 * such an add-on is refused with the runtime's message before anything is
 * provisioned; an external add-on by URL is attached as usual.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { App, PlatformEvent } from '../domain/index.js';
import { kubernetesConfig } from '../config/index.js';
import { RUNTIME_DRIVERS } from '../runtime/index.js';
import { createReleaseService } from '../releases/index.js';
import { createEventBus } from '../shared/events.js';
import { isPlatformError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { openStore } from '../store/index.js';
import { collectingLogSink } from '../../test/support/runtime-fixtures.js';
import { createAddons } from './index.js';

const home = mkdtempSync(join(tmpdir(), 'cupaas-hosted-refusal-'));
const store = openStore({ dbPath: join(home, 'state.db'), secretKeyPath: join(home, 'secret.key') });
const releases = createReleaseService({ store, events: createEventBus<PlatformEvent>() });
const dyno = { bootTimeoutMs: 1, stopTimeoutMs: 1, crashBackoffBaseMs: 1, crashBackoffMaxMs: 1 };
const kubernetesDriver = (env: Record<string, string>) =>
  RUNTIME_DRIVERS.kubernetes!({ config: { home, stackPath: '/usr/bin:/bin', dyno, kubernetes: kubernetesConfig(env) }, logs: collectingLogSink(), logger: silentLogger });
const driver = kubernetesDriver({});
const addons = await createAddons({
  config: { home, hostPath: process.env.PATH ?? '/usr/bin:/bin' }, store, releases, logger: silentLogger,
  isRoot: process.getuid?.() === 0, servicesAddress: await driver.servicesAddress(), hostedRefusal: driver.hostedAddonsRefusal ?? null,
});
const t = new Date().toISOString();
const owner = store.users.create('owner@example.com', 'owner');
const app: App = { id: newId(), name: 'on-cluster', ownerId: owner.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: t, updatedAt: t };
store.apps.insert(app);
releases.initialRelease(app, null);
after(async () => {
  await addons.stop();
  await driver.close();
  store.close();
  rmSync(home, { recursive: true, force: true });
});

it('the kubernetes runtime without a platform host refuses host-served add-ons, saying what to set', async () => {
  for (const plan of ['postgres', 'redis']) {
    await assert.rejects(addons.service.create(app, { plan }, owner.id), (e: unknown) => {
      assert.ok(isPlatformError(e));
      assert.equal(e.id, 'invalid_params');
      assert.match(e.message, /not reachable from the cluster's pods\. Set CUPAAS_KUBERNETES_PLATFORM_HOST/);
      return true;
    });
  }
  assert.deepEqual(addons.service.list(app), [], 'nothing was reserved or provisioned');
  assert.deepEqual(store.releases.getConfig(app.id), {}, 'no config var, no release');
});

it('an external add-on by URL is attached as usual', async () => {
  const { addon } = await addons.service.create(app, { plan: 'external', attachmentName: 'DATABASE', options: { url: 'postgres://u:p@db.example.test:5432/x' } }, owner.id);
  assert.equal(Object.values(addon.config)[0], 'postgres://u:p@db.example.test:5432/x');
});

it('with a platform host the driver offers it as the services address and refuses nothing', async () => {
  const configured = kubernetesDriver({ CUPAAS_KUBERNETES_PLATFORM_HOST: '10.1.2.3', CUPAAS_KUBERNETES_ADDON_CLIENTS: '10.42.0.0/16' });
  assert.equal(configured.hostedAddonsRefusal, undefined);
  assert.deepEqual(await configured.servicesAddress(), { address: '10.1.2.3', clients: '10.42.0.0/16' });
  await configured.close();
});

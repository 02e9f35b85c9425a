/** Declared services (`.cupaas` services, app.json addons) through the ServiceProvisioner, with real servers. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App, PlatformEvent } from '../domain/index.js';
import { createReleaseService, type ReleaseService } from '../releases/index.js';
import { createEventBus } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { openStore, type Store } from '../store/index.js';
import { KV_CLIENTS } from '../../test/support/addon-clients.js';
import { createAddons, type Addons, type ServicesNetwork } from './index.js';

let home: string;
let store: Store;
let addons: Addons;
let app: App;
let releases: ReleaseService;
const openAddons = (servicesAddress: ServicesNetwork | null) =>
  createAddons({
    config: { home, hostPath: process.env.PATH ?? '/usr/bin:/bin' }, store, releases, logger: silentLogger,
    isRoot: process.getuid?.() === 0, servicesAddress,
  });
/** A second loopback address stands in for the services address. */
const SERVICES = { address: '127.0.0.2', clients: '127.0.0.2/32' };
before(async () => {
  home = mkdtempSync(join(tmpdir(), 'cupaas-provisioner-'));
  store = openStore({ dbPath: join(home, 'state.db'), secretKeyPath: join(home, 'secret.key') });
  releases = createReleaseService({ store, events: createEventBus<PlatformEvent>() });
  addons = await openAddons(null);
  const t = new Date().toISOString();
  const owner = store.users.create('owner@example.com', 'owner');
  app = { id: newId(), name: 'declared', ownerId: owner.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: t, updatedAt: t };
  store.apps.insert(app);
  releases.initialRelease(app, null);
});
after(async () => {
  await addons.stop();
  store.close();
  rmSync(home, { recursive: true, force: true });
});

describe('ServiceProvisioner', () => {
  it('names the services a manifest may declare', () => {
    assert.deepEqual([...addons.provisioner.services()].sort(), ['mongodb', 'mysql', 'postgres', 'redis']);
  });

  it('refuses an unknown service before provisioning anything', async () => {
    await assert.rejects(addons.provisioner.ensure(app, ['postgres', 'nosuch'], () => {}), /Supported services/);
    assert.deepEqual(addons.service.list(app), []);
  });

  it('provisions `services: [postgres, redis]` once, with working URLs in the config, and logs it', async () => {
    const lines: string[] = [];
    await addons.provisioner.ensure(app, ['postgres', 'redis'], (l) => lines.push(l));
    assert.equal(lines.filter((l) => /created/.test(l)).length, 2, lines.join('\n'));
    const config = store.releases.getConfig(app.id);
    await KV_CLIENTS.postgres!.put(config.DATABASE_URL!, 'k', 'pg');
    await KV_CLIENTS.redis!.put(config.REDIS_URL!, 'k', 'redis');
    assert.equal(await KV_CLIENTS.postgres!.get(config.DATABASE_URL!, 'k'), 'pg');
    assert.equal(await KV_CLIENTS.redis!.get(config.REDIS_URL!, 'k'), 'redis');

    const again: string[] = [];
    await addons.provisioner.ensure(app, ['heroku-postgresql:essential-0', 'redis'], (l) => again.push(l));
    assert.equal(addons.service.list(app).length, 2);
    assert.ok(again.every((l) => /already provisioned/.test(l)), again.join('\n'));
  });

  it('keeps an add-on the manifest no longer declares', async () => {
    await addons.provisioner.ensure(app, ['redis'], () => {});
    assert.deepEqual(addons.service.list(app).map((a) => a.service).sort(), ['postgres', 'redis']);
  });

  it('moves existing URLs to a services address that appeared since, in a release, with the data intact', async () => {
    await addons.stop();
    addons = await openAddons(SERVICES);
    await addons.start();
    const config = store.releases.getConfig(app.id);
    for (const url of [config.DATABASE_URL!, config.REDIS_URL!]) assert.equal(new URL(url).hostname, '127.0.0.2', url);
    assert.equal(await KV_CLIENTS.postgres!.get(config.DATABASE_URL!, 'k'), 'pg');
    assert.equal(await KV_CLIENTS.redis!.get(config.REDIS_URL!, 'k'), 'redis');
    const descriptions = store.releases.list(app.id).map((r) => r.description);
    assert.ok(descriptions.some((d) => /^Update DATABASE host to 127\.0\.0\.2/.test(d)), descriptions.join('\n'));
    const releasesBefore = descriptions.length;
    await addons.stop();
    addons = await openAddons(SERVICES);
    await addons.start();
    assert.equal(store.releases.list(app.id).length, releasesBefore, 'no release when nothing moved');
  });

  it('tears an app down: a final backup of each add-on, then its data is deleted', async () => {
    const url = store.releases.getConfig(app.id).DATABASE_URL!;
    const ids = addons.service.list(app).map((a) => a.id);
    await addons.teardown.beforeDestroy(app);
    assert.deepEqual(addons.service.list(app), []);
    for (const id of ids) assert.equal(store.addons.listBackups(id).length, 1);
    await assert.rejects(KV_CLIENTS.postgres!.get(url, 'k'));
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { PlatformEvent } from '../domain/index.js';
import type { RequestRecord } from '../router/index.js';
import { createEventBus } from '../shared/events.js';
import { silentLogger } from '../shared/logger.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { openStore } from '../store/index.js';
import { tempDir } from '../../test/support/temp.js';
import { createPlatformMetrics } from './metrics-wiring.js';

const dir = tempDir('cupaas-metrics-wiring');
const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
after(() => store.close());

const request = (appId: string): RequestRecord => ({
  appId, method: 'GET', path: '/', host: 'shop.localhost', requestId: 'r', fwd: '127.0.0.1', protocol: 'http',
  dyno: 'web.1', connectMs: 0, serviceMs: 3, status: 200, bytes: 5,
});

describe("the router's per-request metrics hook", () => {
  it('reads an app name from the store once, not per request, and again after a rename', async () => {
    const owner = store.users.create('w@example.com', 'w');
    const t = isoTime();
    const id = newId();
    store.apps.insert({ id, name: 'shop', ownerId: owner.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: t, updatedAt: t });
    // Counts the real store's reads; the store itself answers them.
    let reads = 0;
    const find = store.apps.find.bind(store.apps);
    const counted = { ...store, apps: { ...store.apps, find: (id: string) => (reads++, find(id)) } };
    const events = createEventBus<PlatformEvent>();
    const { metrics, onRequest } = createPlatformMetrics(counted, events, silentLogger);

    for (let i = 0; i < 500; i++) onRequest(request(id));
    assert.equal(reads, 1);
    assert.match((await metrics.prometheus.exposition()).text, /cupaas_router_requests_total\{app="shop",process_type="web",status="2xx",code=""\} 500/);

    store.apps.update(id, { name: 'store' });
    events.publish({ type: 'app.renamed', appId: id, appName: 'store', previousName: 'shop' });
    onRequest(request(id));
    assert.equal(reads, 2);
    assert.match((await metrics.prometheus.exposition()).text, /cupaas_router_requests_total\{app="store",process_type="web",status="2xx",code=""\} 1/);
  });
});

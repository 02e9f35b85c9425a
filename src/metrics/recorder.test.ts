import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger } from '../shared/logger.js';
import { openStore } from '../store/index.js';
import { createMetrics } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'cupaas-metrics-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
after(() => store.close());
const owner = store.users.create('m@example.com', 'm');
const t = new Date().toISOString();
store.apps.insert({ id: 'app-1', name: 'shop', ownerId: owner.id, deployBranch: 'main', maintenance: false, teamId: null, createdAt: t, updatedAt: t });

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const req = (ms: number, status = 200, dyno: string | null = 'web.1', hCode?: string) => ({
  appId: 'app-1', dyno, connectMs: 0, serviceMs: ms, status, ...(hCode ? { error: { code: hCode } } : {}),
});

describe('metrics recorder', () => {
  it('sums a minute, stores it when the clock leaves it, and serves both', async () => {
    let clock = START + 5_000;
    const m = createMetrics({ store, logger: createLogger({ level: 'error' }), now: () => clock });
    for (let i = 0; i < 95; i++) m.request(req(20), 'shop');
    for (let i = 0; i < 5; i++) m.request(req(900, 503, null, 'H12'), 'shop');
    m.usage('app-1', 'shop', { id: 'd1', name: 'web.1', type: 'web' }, { rssBytes: 50 * 1048576, cpuSeconds: 1 });
    clock += 30_000;
    m.usage('app-1', 'shop', { id: 'd1', name: 'web.1', type: 'web' }, { rssBytes: 60 * 1048576, cpuSeconds: 4 });
    m.crash('app-1', 'shop', 'worker');

    const live = m.series('app-1', START);
    const web = live.find((p) => p.process_type === 'web');
    assert.equal(web?.requests, 100);
    assert.deepEqual(web?.statuses, { '2xx': 95, '5xx': 5 });
    assert.deepEqual(web?.h_codes, { H12: 5 });
    assert.equal(web?.memory_mb, 60);
    assert.equal(live.find((p) => p.process_type === 'worker')?.restarts, 1);

    clock = START + 60_000 + 1;
    m.request(req(5), 'shop');
    const rows = store.metrics.list('app-1', START);
    assert.equal(rows.filter((r) => r.minute === START).length, 2, 'the finished minute is stored per process type');
    const points = m.series('app-1', START, 'web');
    assert.equal(points.length, 2);
    const [first, second] = points;
    assert.equal(first?.time, new Date(START).toISOString());
    assert.equal(first?.rps, 1.67);
    assert.ok((first?.p50_ms as number) <= 20 && (first?.p99_ms as number) > 500, JSON.stringify(first));
    assert.equal(first?.cpu_percent, 5, '3 CPU seconds in a 60 s minute');
    assert.equal(second?.requests, 1);

    clock = START + 25 * 3_600_000;
    m.request(req(5), 'shop');
    assert.equal(store.metrics.list('app-1', 0).filter((r) => r.minute < clock - 24 * 3_600_000).length, 0, 'older than 24 h is pruned');
    await m.forgetApp('app-1', 'shop');
  });

  it('gives the autoscaler the p95 of a short window only', () => {
    let clock = START;
    const m = createMetrics({ store, logger: createLogger({ level: 'error' }), now: () => clock });
    for (let i = 0; i < 50; i++) m.request(req(2000), 'shop');
    clock += 31_000;
    for (let i = 0; i < 100; i++) m.request(req(i + 1), 'shop');
    assert.deepEqual(m.recentP95('app-1', 'web', 30_000), { p95Ms: 95, requests: 100 });
    assert.deepEqual(m.recentP95('app-1', 'worker', 30_000), { p95Ms: null, requests: 0 });
  });

  it("keeps response times for the autoscaler's window only", () => {
    let clock = START;
    const m = createMetrics({ store, logger: createLogger({ level: 'error' }), now: () => clock });
    m.keepRecentFor(30_000);
    for (let i = 0; i < 50; i++) m.request(req(2000), 'shop');
    clock += 31_000;
    m.request(req(10), 'shop');
    assert.deepEqual(m.recentP95('app-1', 'web', 10 * 60_000), { p95Ms: 10, requests: 1 }, 'older ones were dropped as the new one came');
  });

  it('exposes Prometheus series per app', async () => {
    const m = createMetrics({ store, logger: createLogger({ level: 'error' }) });
    m.request(req(20), 'shop');
    const { text } = await m.prometheus.exposition();
    assert.match(text, /cupaas_router_requests_total\{app="shop",process_type="web",status="2xx",code=""\} 1/);
    assert.match(text, /cupaas_platform_process_resident_memory_bytes/);
    await m.forgetApp('app-1', 'shop');
    assert.doesNotMatch((await m.prometheus.exposition()).text, /app="shop"/);
  });
});

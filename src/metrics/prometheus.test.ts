import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { createPrometheus } from './prometheus.js';

/** Whether prom-client is in the process's module cache (its packages load through `require`, shared/lazy.ts). */
const promClientLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/prom-client/'));

describe('the Prometheus exposition', () => {
  it('records router and dyno series without loading prom-client; the first scrape loads it (issue 17)', async () => {
    const p = createPrometheus();
    p.request('shop', 'web', 200, undefined, 0.02);
    p.usage('shop', 'web.1', 1024, 1.5);
    p.crash('shop', 'web');
    assert.equal(promClientLoaded(), false, 'recording loaded prom-client');
    const { contentType, text } = await p.exposition();
    assert.equal(promClientLoaded(), true);
    assert.match(contentType, /^text\/plain; version=0\.0\.4/);
    assert.match(text, /^cupaas_platform_process_resident_memory_bytes \d+/m, "the platform process's own series");
  });

  it('writes counters, gauges and cumulative histogram buckets in the text format', async () => {
    const p = createPrometheus();
    for (const s of [0.003, 0.02, 0.02, 0.7, 45]) p.request('shop', 'web', 200, undefined, s);
    p.request('shop', 'web', 503, 'H12', 30);
    p.usage('shop', 'web.1', 52_428_800, 2.25);
    const { text } = await p.exposition();
    assert.match(text, /^# TYPE cupaas_router_requests_total counter$/m);
    assert.match(text, /^cupaas_router_requests_total\{app="shop",process_type="web",status="2xx",code=""\} 5$/m);
    assert.match(text, /^cupaas_router_requests_total\{app="shop",process_type="web",status="5xx",code="H12"\} 1$/m);
    const bucket = (le: string) => new RegExp(`^cupaas_router_response_seconds_bucket\\{app="shop",process_type="web",le="${le.replace('+', '\\+')}"\\} (\\d+)$`, 'm').exec(text)?.[1];
    assert.deepEqual(['0.005', '0.025', '0.5', '1', '30', '+Inf'].map(bucket), ['1', '3', '3', '4', '5', '6']);
    assert.match(text, /^cupaas_router_response_seconds_count\{app="shop",process_type="web"\} 6$/m);
    const sum = Number(/^cupaas_router_response_seconds_sum\{app="shop",process_type="web"\} (\S+)$/m.exec(text)?.[1]);
    assert.ok(Math.abs(sum - 75.743) < 1e-9, `sum ${sum}`);
    assert.match(text, /^cupaas_dyno_memory_bytes\{app="shop",dyno="web\.1"\} 52428800$/m);
    assert.match(text, /^cupaas_dyno_cpu_seconds\{app="shop",dyno="web\.1"\} 2\.25$/m);
  });

  it('escapes label values, and forgets a gone dyno and a destroyed app', async () => {
    const p = createPrometheus();
    p.request('a"b\\c', 'web', 200, undefined, 0.1);
    p.usage('shop', 'web.1', 1, 1);
    p.usage('shop', 'web.2', 1, 1);
    p.dynoGone('shop', 'web.1');
    let { text } = await p.exposition();
    assert.match(text, /app="a\\"b\\\\c"/);
    assert.doesNotMatch(text, /dyno="web\.1"/);
    assert.match(text, /dyno="web\.2"/);
    p.forgetApp('shop');
    ({ text } = await p.exposition());
    assert.doesNotMatch(text, /app="shop"/);
    assert.doesNotMatch(text, /^# TYPE cupaas_dyno_memory_bytes/m, 'a family without series is left out');
  });
});

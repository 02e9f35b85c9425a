/**
 * Autoscaling end to end: a pushed app that serves one request at a time
 * (test/fixtures/queue-app), a bounded load loop through the router, and the
 * autoscaler writing the formation: web scales out while p95 is over target
 * and back in once the load stops, each change logged as `Scaled to ...`.
 * Short evaluation windows and cool-downs come from the environment.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { getApp } from '../support/app-request.js';
import { REPO_ROOT, startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const APP = 'queue-app';
const FIXTURE = join(REPO_ROOT, 'test/fixtures/queue-app');
/** Requests in flight at once: with 40 ms each, one dyno answers in ~8 × 40 ms. */
const CONCURRENCY = 8;
const LOAD_LIMIT_MS = 120_000;

let p: TestPlatform;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
before(async () => {
  p = await startPlatform({
    env: {
      CUPAAS_AUTOSCALE_INTERVAL: '1', CUPAAS_AUTOSCALE_WINDOW: '5', CUPAAS_AUTOSCALE_OUT_COOLDOWN: '3',
      CUPAAS_AUTOSCALE_IN_COOLDOWN: '5', CUPAAS_STOP_TIMEOUT: '5',
    },
  });
  writeNetrc(p);
});
after(async () => {
  agent.destroy();
  await p.cleanup();
});

const quantity = async () => (await p.api('GET', `/apps/${APP}/formation/web`)).body.quantity as number;
const apiLog = async () => {
  const s = await p.api('POST', `/apps/${APP}/log-sessions`, { lines: 1500, source: 'heroku', dyno: 'api' });
  return (await fetch(s.body.logplex_url)).text();
};

/** Keeps CONCURRENCY requests in flight until `stop()` or LOAD_LIMIT_MS, whichever is first. */
function loadLoop() {
  const deadline = Date.now() + LOAD_LIMIT_MS;
  let running = true;
  const statuses = new Map<number, number>();
  const worker = async () => {
    while (running && Date.now() < deadline) {
      const r = await getApp(p.routerUrl as string, APP, '/', agent).catch(() => ({ status: 0 }));
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    }
  };
  const done = Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { statuses, stop: async () => ((running = false), await done) };
}

describe('autoscaling web dynos', () => {
  it('deploys the queue app', async () => {
    assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
    const tree = await appWorkTree(p, APP);
    const files = Object.fromEntries(readdirSync(FIXTURE).map((f) => [f, readFileSync(join(FIXTURE, f), 'utf8')]));
    await tree.commit('queue app', files);
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    await waitFor(async () => ((await getApp(p.routerUrl as string, APP)).status === 200 ? true : undefined), {
      timeoutMs: 60_000, what: 'the app to answer',
    });
  });

  it('scales out under a load burst and back in after it', async () => {
    const enabled = await p.cli(['autoscale:enable', '-a', APP, '--min', '1', '--max', '3', '--p95', '150ms']);
    assert.equal(enabled.code, 0, enabled.stderr);
    assert.match(enabled.stdout, /1\.\.3 dynos, p95 target 150ms/);

    const load = loadLoop();
    try {
      await waitFor(async () => ((await quantity()) >= 2 ? true : undefined), { timeoutMs: LOAD_LIMIT_MS, what: 'web to scale out' });
      // The new dyno takes traffic: some answer comes from web.2.
      await waitFor(async () => (/"web\.2"/.test((await getApp(p.routerUrl as string, APP, '/', agent)).body) ? true : undefined), {
        timeoutMs: 60_000, what: 'web.2 to serve', intervalMs: 50,
      });
    } finally {
      await load.stop();
    }
    // The burst was real and nothing failed while web scaled out (how many requests fit in depends on the machine).
    assert.deepEqual([...load.statuses.keys()], [200], JSON.stringify([...load.statuses]));
    assert.ok((load.statuses.get(200) ?? 0) >= 10, JSON.stringify([...load.statuses]));
    assert.match(await apiLog(), /Scaled to web@2:\S+ by autoscaler \(p95 \d+ ms over the 150 ms target\)/);

    await waitFor(async () => ((await quantity()) === 1 ? true : undefined), { timeoutMs: 90_000, what: 'web to scale back in' });
    assert.match(await apiLog(), /Scaled to web@1:\S+ by autoscaler \((no requests|p95 \d+ ms well under the 150 ms target)\)/);

    const metrics = await p.cli(['metrics', '-a', APP, '--minutes', '10']);
    assert.equal(metrics.code, 0, metrics.stderr);
    assert.match(metrics.stdout, /web\s+\d+(\.\d+)?\s+\d+ms/);
  });
});

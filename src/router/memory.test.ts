/**
 * Leak check (issue 17): 30 minutes' worth of traffic (20 requests/s over 10
 * apps, each request also writing a dyno log line) through the router and
 * the log bus of this process, sent as fast as the host allows within a
 * time bound. Once the per-app log rings are full, the heap after a full GC
 * must stay flat: whatever a request leaves behind would add up here.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, test } from 'node:test';
import { DATA_PLANES } from '../../test/support/data-planes.js';
import { startBackend, startRouterFixture, type RouterFixture, type TestBackend } from '../../test/support/router-fixtures.js';
import type { App } from '../domain/index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SIMULATED_SECONDS = 30 * 60;
const REQUESTS_PER_SECOND = 20;
const TOTAL = SIMULATED_SECONDS * REQUESTS_PER_SECOND;
const APPS = 10;
const CONCURRENCY = 16;
/** Past this the test stops sending and fails: bounded on a slow shared host. */
const TIME_LIMIT_MS = 8 * 60_000;
/** What may be left over after 2/3 of the traffic: a leak of even 100 bytes per request would exceed it. */
const ALLOWED_GROWTH_BYTES = 2 * 1024 * 1024;

const heapAfterGc = async (backends: readonly TestBackend[]) => {
  // The test backends keep every request they got (for other tests' assertions): not the router's memory.
  for (const b of backends) b.hits.length = 0;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};

for (const [planeName, { factory, skip, settled = async () => {} }] of DATA_PLANES) {
  describe(`router memory: ${planeName}`, { skip }, () => {
    let fx: RouterFixture;
    const apps: App[] = [];
    const backends: TestBackend[] = [];
    before(async () => {
      fx = await startRouterFixture(factory);
      for (let i = 0; i < APPS; i++) {
        const app = fx.addApp(`leak${i}`);
        const b = await startBackend('web.1', (req, res) => res.end(`hello ${req.url}`));
        backends.push(b);
        fx.router.setBackends(app.id, [b.backend]);
        apps.push(app);
      }
      await settled();
    });
    after(async () => {
      await Promise.all(backends.map((b) => b.close()));
      await fx?.cleanup();
    });

    test(`${TOTAL} requests and ${TOTAL} log lines leave the heap flat`, { timeout: TIME_LIMIT_MS + 60_000 }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const deadline = Date.now() + TIME_LIMIT_MS;
      let next = 0;
      let failed = 0;
      const one = (n: number) =>
        new Promise<void>((resolve) => {
          const app = apps[n % APPS] as App;
          // Every 50th request opens a fresh connection: per-connection state must go too.
          const req = request({ host: '127.0.0.1', port: fx.port, path: `/r/${n}`, agent: n % 50 ? agent : false, headers: { Host: `${app.name}.localhost` } }, (res) => {
            if (res.statusCode !== 200) failed++;
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', () => (failed++, resolve()));
          req.end();
          fx.logs.write(app.id, { source: 'app', process: 'web.1', message: `GET /r/${n} handled in ${n % 97}ms` });
        });
      const run = async (until: number) => {
        const worker = async () => {
          while (next < until && Date.now() < deadline) await one(next++);
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      };
      await run(TOTAL / 3);
      const mid = await heapAfterGc(backends);
      await run(TOTAL);
      agent.destroy();
      // Log lines of a plane outside Node arrive a moment after their responses.
      await settled();
      await new Promise((r) => setTimeout(r, 500));
      const end = await heapAfterGc(backends);
      assert.equal(next, TOTAL, `sent only ${next} of ${TOTAL} requests within ${TIME_LIMIT_MS / 60_000} minutes`);
      assert.equal(failed, 0);
      const growth = end - mid;
      console.log(`${planeName}: heap ${(mid / 1048576).toFixed(1)} MB after ${TOTAL / 3} requests, ${(end / 1048576).toFixed(1)} MB after ${TOTAL}`);
      assert.ok(growth < ALLOWED_GROWTH_BYTES, `heap grew by ${(growth / 1048576).toFixed(2)} MB over ${(TOTAL * 2) / 3} requests`);
    });
  });
}

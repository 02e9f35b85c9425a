/**
 * A server killed with SIGKILL leaves its dynos running; the next server on
 * the same home stops those orphans and brings the formation back.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { after, test } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { running, seedFixtureRelease } from '../support/runtime-fixtures.js';

/** Host pids of the app's dyno processes (a sandbox may show dynos other pids inside). */
function dynoHostPids(app: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
        return env.includes(`CUPAAS_APP=${app}`) && readFileSync(`/proc/${d}/cmdline`, 'utf8').startsWith('node\0server.js');
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(running);
}

const platforms: TestPlatform[] = [];
after(async () => {
  for (const p of platforms.reverse()) await p.cleanup();
});

/** GET / through the router with the app's Host header (fetch may not set Host). */
function viaRouter(p: TestPlatform, app: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${p.routerUrl}/`, { headers: { Host: `${app}.localhost` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function servedPid(p: TestPlatform, app: string): Promise<number> {
  return waitFor(
    async () => {
      const res = await viaRouter(p, app);
      return res.status === 200 ? (JSON.parse(res.body) as { pid: number }).pid : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `${app} served through the router` },
  );
}

test('after kill -9 of the server, a restart reaps orphan dynos and restores the formation', async () => {
  const first = await startPlatform();
  platforms.push(first);
  const app = 'rt-restart';
  assert.equal((await first.api('POST', '/apps', { name: app })).status, 201);
  await seedFixtureRelease(first.home, app);
  await servedPid(first, app);
  const [orphan] = dynoHostPids(app);
  assert.ok(orphan);

  await first.kill9();
  assert.ok(running(orphan), 'the dyno outlives a killed server');

  const second = await first.restart();
  platforms.push(second);
  await servedPid(second, app);
  await waitFor(() => !running(orphan), { what: 'orphan dyno stopped' });
  const now = dynoHostPids(app);
  assert.equal(now.length, 1);
  assert.notEqual(now[0], orphan);
  const dynos = (await second.api('GET', `/apps/${app}/dynos`)).body as Array<{ name: string; state: string }>;
  assert.deepEqual(dynos.map((d) => `${d.name}:${d.state}`), ['web.1:up']);
});

/**
 * A server killed with SIGKILL leaves its dynos running; the next server on
 * the same home adopts them (design/023): the same processes serve, what they
 * print reaches `cupaas logs`, and one killed afterwards is replaced.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, test } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { dynoHostPids, running, seedFixtureRelease } from '../support/runtime-fixtures.js';

const platforms: TestPlatform[] = [];
after(async () => {
  for (const p of platforms.reverse()) await p.cleanup();
});

/** GET `path` through the router with the app's Host header (fetch may not set Host). */
function viaRouter(p: TestPlatform, app: string, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(`${p.routerUrl}${path}`, { headers: { Host: `${app}.localhost` } }, (res) => {
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

const dynoStates = async (p: TestPlatform, app: string) =>
  ((await p.api('GET', `/apps/${app}/dynos`)).body as Array<{ name: string; state: string }>).map((d) => `${d.name}:${d.state}`);

test('after kill -9 of the server, the next server adopts its dynos; one killed later is replaced', async () => {
  const first = await startPlatform();
  platforms.push(first);
  // Unique: dynos are found by app name among every process of this shared machine.
  const app = `rt-restart-${process.pid}`;
  assert.equal((await first.api('POST', '/apps', { name: app })).status, 201);
  await seedFixtureRelease(first.home, app);
  const served = await servedPid(first, app);
  const [hostPid] = dynoHostPids(app);
  assert.ok(hostPid);

  await first.kill9();
  assert.ok(running(hostPid), 'the dyno outlives a killed server');

  const second = await first.restart();
  platforms.push(second);
  await waitFor(async () => (await dynoStates(second, app)).join() === 'web.1:up', { what: 'web.1 up', timeoutMs: 60_000 });
  assert.equal(await servedPid(second, app), served, 'the same dyno serves');
  assert.deepEqual(dynoHostPids(app), [hostPid], 'adopted, not restarted');
  assert.match(second.output(), /adopted the dynos a previous server left/);

  const word = `adopted-${Date.now()}`;
  assert.equal((await viaRouter(second, app, `/say/${word}`)).body, 'ok');
  await waitFor(async () => (await second.cli(['logs', '-a', app, '-n', '500'])).stdout.includes(`said ${word}`), {
    what: `\`cupaas logs\` showing what the adopted dyno printed`, timeoutMs: 60_000, intervalMs: 500,
  });

  process.kill(hostPid, 'SIGKILL');
  // Host pids: a sandboxed dyno's own pid (in its pid namespace) may well be the same in its replacement.
  await waitFor(async () => {
    const now = dynoHostPids(app);
    return now.length === 1 && now[0] !== hostPid && (await dynoStates(second, app)).join() === 'web.1:up';
  }, { what: 'the killed adopted dyno replaced', timeoutMs: 60_000, intervalMs: 200 });
  assert.equal((await viaRouter(second, app)).status, 200);
  // Not its parent, the server learns the status from the dyno's status file (SIGKILL of node: bash says 137).
  const logs = (await second.cli(['logs', '-a', app, '-n', '500'])).stdout;
  assert.match(logs, /Process exited with status 137/);
  assert.doesNotMatch(logs, /exit status unknown/);
  assert.equal(running(hostPid), false);
});

/**
 * The HAProxy router outlives a `kill -9` of `cupaas server` (local runtime,
 * every part real): requests keep being answered by the still-running dyno
 * while no server runs, and the next server adopts the same HAProxy process
 * and the same dyno (design/023) instead of starting second ones: no request
 * fails. A normal stop still stops both.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { haproxyMissing } from '../../src/router/index.js';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { dynoHostPids, running, seedFixtureRelease } from '../support/runtime-fixtures.js';

const platforms: TestPlatform[] = [];
let haproxyPid = 0;
after(async () => {
  for (const p of platforms.reverse()) await p.cleanup();
  if (haproxyPid && running(haproxyPid)) process.kill(haproxyPid, 'SIGKILL');
});

/** GET / through the router with the app's Host header, on a fresh connection. */
function viaRouter(routerUrl: string, app: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    get(`${routerUrl}/`, { headers: { Host: `${app}.localhost` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', (e) => resolve({ status: 0, body: e.message }));
  });
}

test('kill -9 of the server fails no request; the restarted server adopts the running haproxy and dyno', { skip: haproxyMissing() ?? false }, async (t) => {
  const first = await startPlatform({ env: { CUPAAS_ROUTER_DATA_PLANE: 'haproxy' } });
  platforms.push(first);
  // Unique: dynos are found by app name among every process of this shared machine.
  const app = `outlives-${process.pid}`;
  assert.equal((await first.api('POST', '/apps', { name: app })).status, 201);
  await seedFixtureRelease(first.home, app);
  const routerUrl = first.routerUrl as string;
  await waitFor(async () => (await viaRouter(routerUrl, app)).status === 200, { timeoutMs: 60_000, intervalMs: 200, what: 'the app served' });
  const pidFile = join(first.home, 'router', 'haproxy.pid');
  haproxyPid = Number(readFileSync(pidFile, 'utf8').split(' ')[0]);
  const dynoPids = dynoHostPids(app);
  assert.equal(dynoPids.length, 1);

  const answers: Array<{ status: number; body: string; phase: string }> = [];
  let phase = 'up';
  let stop = false;
  const loop = (async () => {
    while (!stop) answers.push({ ...(await viaRouter(routerUrl, app)), phase });
  })();
  const count = (p: string, n: number) =>
    waitFor(() => answers.filter((a) => a.phase === p).length >= n, { timeoutMs: 60_000, what: `${n} answers while ${p}` });
  await count('up', 20);

  await first.kill9();
  phase = 'down';
  assert.ok(running(haproxyPid), 'haproxy outlives the killed server');
  await count('down', 50);

  phase = 'restarted';
  const second = await first.restart();
  platforms.push(second);
  assert.equal(second.routerUrl, routerUrl, 'the router keeps its port');
  assert.equal(Number(readFileSync(pidFile, 'utf8').split(' ')[0]), haproxyPid, 'the same haproxy, adopted');
  assert.match(second.output(), /adopted the running haproxy/);
  await count('restarted', 50);
  await waitFor(async () => (await second.api('GET', `/apps/${app}/dynos`)).body?.[0]?.state === 'up', { timeoutMs: 60_000, what: 'web.1 up' });
  await count('restarted', answers.filter((a) => a.phase === 'restarted').length + 50);
  stop = true;
  await loop;
  assert.deepEqual(dynoHostPids(app), dynoPids, 'the same dyno, adopted');

  const failed = (p: string) => answers.filter((a) => a.phase === p && a.status !== 200).map((a) => `${a.status} ${a.body.slice(0, 60)}`);
  assert.deepEqual(failed('up'), []);
  assert.deepEqual(failed('down'), [], 'every request while no server ran was answered by the running dyno');
  assert.deepEqual(failed('restarted'), [], 'the adopted dyno kept answering');
  t.diagnostic(`requests: ${answers.length} (${answers.filter((a) => a.phase === 'restarted').length} after the restart), failed: 0`);
  assert.ok(running(haproxyPid));

  await second.stop();
  await waitFor(() => !running(haproxyPid), { timeoutMs: 20_000, what: 'haproxy stopped with the server' });
  assert.deepEqual(dynoHostPids(app), [], 'the dyno stopped with the server');
});

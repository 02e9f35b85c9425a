/**
 * The `swarm` runtime end to end on a real three-node Swarm (swarm-lab; slow):
 * a buildpack app pushed with git runs as services of its release image pulled
 * from the lab registry, scales to 4 web dynos on at least two nodes that
 * answer through the router, changes config under load with zero failed
 * requests, drains a node with zero failed requests, and survives a node
 * crash (failures only inside the window the router's retry covers, measured),
 * is reported by `cupaas server --doctor`, and deploys a Compose app whose
 * redis service is an add-on the dynos on every node reach.
 * The lab goes down at the end, also when a test fails.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Docker from 'dockerode';
import { STACK_TAG } from '../../src/images/index.js';
import { freePort } from '../../src/shared/net.js';
import { waitFor } from '../../src/shared/wait.js';
import { DOCKER_SOCKET, engineMissing } from '../support/engine.js';
import { REPO_ROOT, startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';
import { labUp, swarmLabSkip, type SwarmLab } from '../support/swarm-lab.js';

const skip = swarmLabSkip() || (await engineMissing()) || false;
const APP = 'sw-hello';

function viaRouter(routerUrl: string, path = '/', app = APP): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    // Longer than the router's first-byte timeout: the router, not this client, decides when a request failed.
    const req = get(`${routerUrl}${path}`, { headers: { Host: `${app}.localhost` }, timeout: 40_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

/**
 * Requests from `workers` concurrent clients until `stop` aborts (at most `max` in all), recording when each
 * failed request was sent. Several clients, because a request in flight to a node that dies waits for the
 * router's first-byte timeout (30 s, H12): one client alone would sit out the window it is meant to measure.
 */
async function requestLoop(routerUrl: string, stop: AbortSignal, max = 20_000, workers = 4) {
  let ok = 0;
  let sent = 0;
  const failed: Array<{ at: number; status: number }> = [];
  const client = async () => {
    while (sent < max && !stop.aborted) {
      sent++;
      const at = Date.now();
      const r = await viaRouter(routerUrl);
      if (r.status === 200) ok++;
      else failed.push({ at, status: r.status });
    }
  };
  await Promise.all(Array.from({ length: workers }, client));
  return { ok, failed };
}

interface Dyno { name: string; state: string; node: string | null; type: string }

describe('swarm runtime on a 3-node lab', { skip, timeout: 1_800_000 }, () => {
  let lab: SwarmLab;
  let p: TestPlatform;
  const dynos = async () => (await p.api('GET', `/apps/${APP}/dynos`)).body as Dyno[];
  const webUp = (n: number, pred: (ds: Dyno[]) => boolean = () => true) =>
    waitFor(async () => {
      const ds = (await dynos()).filter((d) => d.type === 'web');
      return ds.length === n && ds.every((d) => d.state === 'up') && pred(ds) ? ds : undefined;
    }, { timeoutMs: 300_000, intervalMs: 500, what: `${n} web dynos up` });

  before(async () => {
    lab = await labUp(3);
    // The manager's engine makes the release images (it trusts the lab registry); it gets the stack image from this machine's engine.
    const manager = new Docker({ socketPath: lab.socketPath });
    await manager.loadImage((await new Docker({ socketPath: DOCKER_SOCKET }).getImage(STACK_TAG).get()) as never);
    const routerPort = await freePort('127.0.0.1');
    p = await startPlatform({
      args: ['--runtime', 'swarm', '--router-port', String(routerPort)],
      env: {
        CUPAAS_SWARM_HOST: lab.dockerHost, CUPAAS_DOCKER_SOCKET: lab.socketPath, CUPAAS_REGISTRY_URL: lab.registry,
        CUPAAS_BOOT_TIMEOUT: '180',
      },
    });
    writeNetrc(p);
  });
  after(async () => {
    await p?.cleanup().catch(() => {});
    await lab?.down();
  });

  test('a pushed app runs as swarm services of its release image and answers through the router', async () => {
    assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
    const tree = await appWorkTree(p, APP, 'node-hello');
    await tree.commit('hello');
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    const [web] = await webUp(1);
    assert.ok(web?.node?.startsWith('swarm-n'), `ps shows the node: ${web?.node}`);
    await waitFor(async () => (await viaRouter(p.routerUrl!)).status === 200 || undefined, { timeoutMs: 120_000, what: 'served' });
    const nodes = (await p.api('GET', '/nodes')).body as Array<{ name: string; dynos: unknown[] }>;
    assert.deepEqual(nodes.map((n) => n.name), ['swarm-n1', 'swarm-n2', 'swarm-n3']);
  });

  test('web scaled to 4 runs on at least two nodes, all answering through the router', async () => {
    assert.equal((await p.api('PATCH', `/apps/${APP}/formation/web`, { quantity: 4 })).status, 200);
    const ds = await webUp(4);
    const nodes = new Set(ds.map((d) => d.node));
    assert.ok(nodes.size >= 2, `nodes: ${[...nodes].join(', ')}`);
    const answered = new Set<string>();
    await waitFor(async () => {
      const r = await viaRouter(p.routerUrl!);
      const dyno = /dyno=(\S+)/.exec(r.body)?.[1];
      if (dyno) answered.add(dyno);
      return answered.size === 4 || undefined;
    }, { timeoutMs: 60_000, intervalMs: 20, what: 'every web dyno answering' });
  });

  test('a config change under load fails no request', async () => {
    const before = new Set((await dynos()).map((d) => d.name + d.node));
    const stop = new AbortController();
    const loop = requestLoop(p.routerUrl!, stop.signal);
    assert.equal((await p.api('PATCH', `/apps/${APP}/config-vars`, { GREETING: 'v3' })).status, 200);
    await waitFor(async () => {
      const rel = (await p.api('GET', `/apps/${APP}/releases/3`)).body as { status?: string };
      return rel.status === 'succeeded' || undefined;
    }, { timeoutMs: 300_000, intervalMs: 500, what: 'release v3 serving' });
    await webUp(4);
    stop.abort();
    const { ok, failed } = await loop;
    assert.ok(ok > 10, `only ${ok} requests`);
    assert.deepEqual(failed, [], `${failed.length} failed of ${ok + failed.length}`);
    assert.ok(before.size > 0);
  });

  test('nodes:drain moves the dynos off a node with zero failed requests', async () => {
    const ds = await webUp(4);
    const busiest = [...new Set(ds.map((d) => d.node))].sort((a, b) => ds.filter((d) => d.node === b).length - ds.filter((d) => d.node === a).length)[0] as string;
    const stop = new AbortController();
    const loop = requestLoop(p.routerUrl!, stop.signal);
    const drained = await p.cli(['nodes:drain', busiest]);
    assert.equal(drained.code, 0, drained.stderr);
    await webUp(4, (xs) => xs.every((d) => d.node !== busiest));
    await waitFor(async () => {
      const nodes = (await p.api('GET', '/nodes')).body as Array<{ name: string; availability: string }>;
      return nodes.find((n) => n.name === busiest)?.availability === 'drain' || undefined;
    }, { timeoutMs: 120_000, intervalMs: 1000, what: `${busiest} drained` });
    stop.abort();
    const { ok, failed } = await loop;
    assert.ok(ok > 10, `only ${ok} requests`);
    assert.deepEqual(failed, [], `${failed.length} failed of ${ok + failed.length}`);
    const listed = await p.cli(['nodes']);
    assert.match(listed.stdout, new RegExp(`${busiest} .*/drain`));
  });

  test('a node crash: the app keeps answering (failures only in a short, measured window) and is back to 4 on the others', async (t) => {
    const manager = new Docker({ socketPath: lab.socketPath });
    for (const n of (await manager.listNodes()) as Array<{ ID: string; Spec: Record<string, unknown>; Version: { Index: number } }>) {
      if (n.Spec.Availability !== 'active') await manager.getNode(n.ID).update({ ...n.Spec, Availability: 'active', version: n.Version.Index } as never);
    }
    const ds = await webUp(4);
    const victim = ds.map((d) => d.node).find((n) => n && n !== 'swarm-n1') as string;
    assert.ok(victim, 'a worker node runs web dynos');
    const stop = new AbortController();
    const loop = requestLoop(p.routerUrl!, stop.signal);
    const crashedAt = Date.now();
    await lab.lab('stop-node', victim.replace('swarm-n', ''));
    await webUp(4, (xs) => xs.every((d) => d.node !== victim));
    const recoveredMs = Date.now() - crashedAt;
    stop.abort();
    const { ok, failed } = await loop;
    const windowMs = failed.length ? Math.max(...failed.map((f) => f.at)) - crashedAt : 0;
    t.diagnostic(`node ${victim} crashed: ${failed.length} failed of ${ok + failed.length} requests (${failed.map((f) => f.status).join(', ')}), all sent within ${windowMs} ms of the crash; 4 web dynos on the other nodes after ${recoveredMs} ms`);
    assert.ok(ok > 10, `only ${ok} requests`);
    // Only requests sent before the swarm saw the node down (2-4 s in the lab) and the router dropped its dynos may fail.
    assert.ok(windowMs <= 10_000, `failed requests sent until ${windowMs} ms after the crash`);
  });

  test('cupaas server --doctor reports the manager, the nodes ready (naming the crashed one) and the registry the nodes pull from', async () => {
    const r = await p.cli(['server', '--doctor'], { env: { CUPAAS_SWARM_HOST: lab.dockerHost, CUPAAS_REGISTRY_URL: lab.registry } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`manager: ${lab.dockerHost}: reachable`));
    assert.match(r.stdout, /nodes: 2\/3 ready \(swarm-n\d (down|unknown)\)/);
    assert.match(r.stdout, new RegExp(`registry: ${lab.registry.replace(/\./g, '\\.')}: answers here; the nodes pull from it`));
  });

  test('a Compose app (web build, worker, redis) on the swarm: the worker writes to the redis add-on, the web reads it through the router', async () => {
    const app = 'sw-compose';
    assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
    const tree = await appWorkTree(p, app);
    const fixture = join(REPO_ROOT, 'test/fixtures/compose-redis');
    await tree.commit('compose', Object.fromEntries(readdirSync(fixture).map((f) => [f, readFileSync(join(fixture, f), 'utf8')])));
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /Compose app detected/);
    const config = (await p.api('GET', `/apps/${app}/config-vars`)).body as Record<string, string>;
    assert.match(config.REDIS_URL ?? '', new RegExp(`@${lab.hostIp.replace(/\./g, '\\.')}:\\d+`), 'the add-on at the address the nodes reach');
    const body = await waitFor(async () => {
      const r = await viaRouter(p.routerUrl!, '/', app);
      return r.status === 200 && r.body.includes('from-worker.1') ? r.body : undefined;
    }, { timeoutMs: 300_000, intervalMs: 500, what: 'the compose web serving what the worker wrote' });
    assert.equal(body, 'hello from-worker.1 port=3000');
    const ds = (await p.api('GET', `/apps/${app}/dynos`)).body as Dyno[];
    assert.deepEqual(ds.map((d) => `${d.name}:${d.state}`).sort(), ['web.1:up', 'worker.1:up']);
    assert.ok(ds.every((d) => d.node?.startsWith('swarm-n')));
  });

  test('apps:compose-export writes the app as a swarm stack file', async () => {
    const file = `${p.userHome}/stack.yml`;
    const r = await p.cli(['apps:compose-export', file, '-a', APP]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, new RegExp(`image: ${lab.registry}/${APP}:v3`));
    assert.match(text, /replicas: 4/);
    assert.match(text, /order: start-first/);
  });
});

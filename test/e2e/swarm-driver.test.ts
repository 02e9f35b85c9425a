/**
 * The swarm driver on a real three-node Swarm (swarm-lab): dynos as services,
 * tasks as dynos on nodes, web dynos reached at node address + host-mode port,
 * output from every node, spread placement, a node that cannot pull reported,
 * adoption by a restarted control plane, nodes listed. Slow; skipped with the
 * reason when the lab cannot run here.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_STACK_PATH } from '../../src/config/index.js';
import type { DynoEvent, DynoSpec } from '../../src/runtime/index.js';
import { createSwarmDriver, type SwarmRuntime } from '../../src/runtime/swarm/index.js';
import { newId } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../src/shared/wait.js';
import { collectingLogSink } from '../support/runtime-fixtures.js';
import { labUp, pushNodeImage, swarmLabSkip, type SwarmLab } from '../support/swarm-lab.js';
import { tempDir } from '../support/temp.js';

const skip = swarmLabSkip();

describe('swarm driver on a 3-node lab', { skip, timeout: 900_000 }, () => {
  let lab: SwarmLab;
  let image: string;
  const home = tempDir('cupaas-swarm');
  const logs = collectingLogSink();
  // A stop counts as forced only when a dyno outlives the grace period; on a loaded lab the engine alone can take seconds to deliver SIGTERM.
  const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 60_000, stopTimeoutMs: 20_000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 } };
  const drivers: SwarmRuntime[] = [];
  const events: DynoEvent[] = [];
  const newDriver = (ref: () => string = () => image) => {
    const d = createSwarmDriver(
      { config, logs, logger: silentLogger },
      {
        engine: { socketPath: lab.socketPath },
        imageOf: (s) => ({
          ref: ref(),
          process: { command: null, args: s.processType === 'worker' ? ['/usr/bin/node', '/app/server.js', 'worker'] : null, user: null, dir: null },
          hasShell: false,
          containerPort: null,
        }),
        pollMs: 300,
      },
    );
    d.subscribe((e) => events.push(e));
    drivers.push(d);
    return d;
  };
  const appId = newId();
  const spec = (over: Partial<DynoSpec> = {}): DynoSpec => {
    const type = over.processType ?? 'web';
    const name = over.name ?? `${type}.1`;
    return {
      dynoId: newId(), appId, name, processType: type, releaseId: 'rel-1', releaseVersion: 2, artifact: { slugChecksum: null, image: null }, command: '',
      size: 'standard-1x', env: { DYNO: name, CUPAAS_APP: 'swarmtest', CUPAAS_RELEASE_VERSION: '2' }, web: type === 'web', healthCheckPath: null, ...over,
    };
  };
  const upEvent = (s: DynoSpec) =>
    waitFor(() => events.find((e) => e.type === 'up' && e.dynoId === s.dynoId), { what: `${s.name} up`, timeoutMs: 180_000 });
  const exitEvent = (s: DynoSpec) =>
    waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === s.dynoId), {
      what: `${s.name} exit`, timeoutMs: 180_000,
    });

  before(async () => {
    lab = await labUp(3);
    image = await pushNodeImage(lab, resolve(import.meta.dirname, '../fixtures/swarm-node-app'), 'swarmtest');
  });
  after(async () => {
    for (const d of drivers) await d.close().catch(() => undefined);
    await lab?.down();
  });

  test('web dynos spread over the nodes and answer at node address + published port, with the dyno env and output', async () => {
    const driver = newDriver();
    const specs = [1, 2, 3].map((n) => spec({ name: `web.${n}`, env: { DYNO: `web.${n}`, CUPAAS_APP: 'swarmtest' } }));
    for (const s of specs) {
      driver.start(s);
      assert.equal(driver.list().find((d) => d.spec.dynoId === s.dynoId)?.state, 'starting');
      await upEvent(s);
    }
    const up = driver.list().filter((d) => d.state === 'up');
    assert.equal(up.length, 3);
    assert.equal(new Set(up.map((d) => d.host)).size, 3, `one per node: ${up.map((d) => d.host).join(', ')}`);
    for (const d of up) {
      assert.ok(lab.nodes.includes(d.host as string));
      const env = (await (await fetch(`http://${d.host}:${d.port}/env`)).json()) as Record<string, string>;
      assert.equal(env.DYNO, d.spec.name);
      assert.equal(env.PORT, String(d.port), '$PORT is the published port the router dials');
      assert.equal(env.CUPAAS_APP, 'swarmtest');
    }
    await waitFor(() => up.every((d) => logs.lines.some((l) => l.process === d.spec.name && l.message === `listening on ${d.port}`)), {
      what: 'output of every node', timeoutMs: 60_000,
    });
    const nodes = await driver.cluster.nodes();
    assert.deepEqual(nodes.map((n) => [n.name, n.role, n.state, n.availability]), [
      ['swarm-n1', 'manager', 'ready', 'active'], ['swarm-n2', 'worker', 'ready', 'active'], ['swarm-n3', 'worker', 'ready', 'active'],
    ]);
    assert.deepEqual(nodes.map((n) => n.dynos.length), [1, 1, 1]);
    assert.ok(nodes.every((n) => n.address && n.cpus > 0 && n.memoryMb > 0));

    const t0 = Date.now();
    const stopped = await Promise.all(specs.map((s) => driver.stop(s.dynoId)));
    assert.deepEqual(stopped, specs.map(() => ({ forced: false })));
    assert.ok(Date.now() - t0 < 60_000);
    assert.equal(driver.list().length, 0);
    for (const s of specs) assert.equal((await exitEvent(s)).requested, true);
  });

  test('a worker is up once running; a crash is an exit with its status', async () => {
    const driver = newDriver();
    const w = spec({ processType: 'worker' });
    driver.start(w);
    const up = await upEvent(w);
    assert.equal(up.dyno.port, null);
    await waitFor(() => logs.lines.some((l) => l.process === 'worker.1' && l.message.startsWith('worker worker.1 on')), { what: 'worker line', timeoutMs: 60_000 });
    const crash = spec({ name: 'web.9', env: { DYNO: 'web.9', MODE: 'crash' } });
    driver.start(crash);
    const e = await exitEvent(crash);
    assert.deepEqual([e.status, e.requested, e.error], [3, false, undefined]);
    await driver.stop(w.dynoId);
  });

  test('an image the nodes cannot pull is reported as a launch failure naming the node', async () => {
    const driver = newDriver(() => `${lab.registry}/nothing@sha256:${'0'.repeat(64)}`);
    const s = spec();
    driver.start(s);
    const e = await exitEvent(s);
    assert.equal(e.requested, false);
    assert.match(e.error ?? '', /^node swarm-n\d: /);
  });

  test('a restarted control plane adopts running dynos without restarting them', async () => {
    const first = newDriver();
    const s = spec({ name: 'web.5', env: { DYNO: 'web.5', CUPAAS_APP: 'swarmtest' } });
    first.start(s);
    const before = (await upEvent(s)).dyno;
    const hostname = await (await fetch(`http://${before.host}:${before.port}/`)).text();
    first.detach();
    const next = newDriver();
    await next.adopt();
    const adopted = await waitFor(() => next.list().find((d) => d.spec.dynoId === s.dynoId && d.state === 'up'), { what: 'adopted up', timeoutMs: 60_000 });
    assert.deepEqual([adopted.host, adopted.port, adopted.spec.env.DYNO], [before.host, before.port, 'web.5']);
    assert.equal(await (await fetch(`http://${adopted.host}:${adopted.port}/`)).text(), hostname, 'same container');
    drivers.splice(drivers.indexOf(first), 1);
    await next.stop(s.dynoId);
  });

  test('dynos on every node reach a server on the services address (where add-ons listen)', async () => {
    const driver = newDriver();
    const address = await driver.servicesAddress();
    assert.equal(address?.address, lab.hostIp, 'discovered: this machine on the nodes\' network');
    const server = createServer((s) => s.end('hello\n'));
    await new Promise<void>((ok) => server.listen(0, address?.address, ok));
    const port = (server.address() as AddressInfo).port;
    try {
      const specs = [1, 2, 3].map((n) => spec({ processType: 'worker', name: `worker.${n}`, env: { DYNO: `worker.${n}`, CUPAAS_APP: 'swarmtest', PROBE: `${address?.address}:${port}` } }));
      const ups = [];
      for (const s of specs) {
        driver.start(s);
        ups.push(await upEvent(s));
      }
      assert.equal(new Set(ups.map((e) => (e as { dyno: { node?: string | null } }).dyno.node)).size, 3, 'one worker per node');
      await waitFor(() => specs.every((s) => logs.lines.some((l) => l.process === s.name && l.message.startsWith('probe hello'))), {
        what: 'every node reached the services address', timeoutMs: 60_000,
      });
      await Promise.all(specs.map((s) => driver.stop(s.dynoId)));
    } finally {
      server.close();
    }
  });
});

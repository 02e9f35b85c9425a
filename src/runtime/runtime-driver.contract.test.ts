/**
 * The contract every runtime driver must meet, run against each registered
 * driver. A driver that cannot meet a case declares the skip and its reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { DEFAULT_STACK_PATH } from '../config/index.js';
import { connectEngine, ensureStackImage, homeLabel, imageFromSlug, LABEL } from '../images/index.js';
import { createSlugArchive } from '../slugs/index.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { waitFor } from '../shared/wait.js';
import { collectingLogSink, driverPool, FIXTURE_PROCESS_TYPES, packFixtureSlug, running } from '../../test/support/runtime-fixtures.js';
import { labSlugImage } from '../../test/support/swarm-lab.js';
import { RUNTIME_DRIVERS, type DynoArtifact, type DynoEvent, type DynoSpec, type RuntimeDriver } from './index.js';

const SKIPS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  swarm: {
    kill: 'Swarm stops a task with the grace period it was created with: a manager cannot SIGKILL a container on another node at once',
    attach: 'attached one-off dynos (stdin, raw output, pty) are implemented by the local driver only so far',
    'attach-tty': 'attached one-off dynos (stdin, raw output, pty) are implemented by the local driver only so far',
  },
};

/** Whether a dyno's pids are host pids (a container's are in its own namespace: the fixture's `child=` pid means nothing here). */
const HOST_PIDS: Readonly<Record<string, boolean>> = { local: true, docker: false, swarm: false };


/** The artifact the driver runs, made of the fixture slug. */
async function artifactFor(driver: RuntimeDriver, home: string, checksum: string): Promise<DynoArtifact> {
  if (driver.runs === 'slug') return { slugChecksum: checksum, image: null };
  if (driver.name === 'swarm') {
    // Swarm nodes pull: the image goes to the lab's registry (swarm-lab env), pinned by digest.
    return { slugChecksum: checksum, image: await labSlugImage(createSlugArchive(join(home, 'slugs')), { checksum, home: homeLabel(home) }) };
  }
  const engine = connectEngine('/var/run/docker.sock');
  await ensureStackImage(engine, silentLogger);
  const id = await imageFromSlug(engine, createSlugArchive(join(home, 'slugs')), { checksum, home: homeLabel(home), cmd: null });
  return { slugChecksum: checksum, image: { id, ref: id } };
}

/** Removes the images a test home made (labelled with it), never anyone else's. */
async function removeImages(home: string): Promise<void> {
  const engine = connectEngine('/var/run/docker.sock');
  const images = await engine.listImages({ filters: JSON.stringify({ label: [`${LABEL.home}=${homeLabel(home)}`] }) }).catch(() => []);
  for (const i of images) await engine.getImage(i.Id).remove({ force: true });
}

process.env.CUPAAS_CONTRACT_CANARY = 'must-not-leak';

for (const [name, factory] of Object.entries(RUNTIME_DRIVERS)) {
  describe(`RuntimeDriver contract: ${name}`, async () => {
    const home = mkdtempSync(join(tmpdir(), `cupaas-rt-${name}-`));
    const logs = collectingLogSink();
    const config = {
      home,
      stackPath: DEFAULT_STACK_PATH,
      // Long enough for an engine's API round trips on a loaded machine, so that a `kill` beating it still means something.
      dyno: { bootTimeoutMs: 5000, stopTimeoutMs: 3000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 },
      // The swarm driver runs when a manager is given (`eval "$(swarm-lab env)"`); elsewhere its doctor skips it.
      swarm: { dockerHost: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock', servicesAddress: null },
    };
    const { newDriver, closeAll } = driverPool(factory, { config, logs, logger: silentLogger });
    const driver = newDriver();
    const events: DynoEvent[] = [];
    driver.subscribe((e) => events.push(e));
    after(async () => {
      await closeAll();
      if (driver.runs === 'image') await removeImages(home);
      rmSync(home, { recursive: true, force: true });
    });
    if (driver.formations) {
      // A declarative driver runs formations whole (design/021): formations.contract.test.ts is its contract.
      test(`${name} is declarative`, { skip: 'formation dynos run through `formations`; formations.contract.test.ts is its contract, one-off dynos included' }, () => {});
      return;
    }
    const health = await driver.doctor();
    if (!health.ok) {
      test(`${name} cannot run on this host`, { skip: health.report }, () => {});
      return;
    }
    const slug = await packFixtureSlug(home);
    const artifact = await artifactFor(driver, home, slug.checksum);

    const spec = (over: Partial<DynoSpec> = {}): DynoSpec => {
      const type = over.processType ?? 'web';
      return {
        dynoId: newId(), appId: newId(), name: `${type}.1`, processType: type, releaseId: 'rel-1',
        releaseVersion: 2, artifact, command: FIXTURE_PROCESS_TYPES[type] as string,
        size: 'standard-1x', env: { DYNO: `${type}.1`, CUPAAS_APP: 'fixture', CUPAAS_RELEASE_VERSION: '2' },
        web: type === 'web', healthCheckPath: null, ...over,
      };
    };
    const exitOf = (dynoId: string) =>
      waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === dynoId), {
        what: 'dyno exit', timeoutMs: 60_000,
      });
    const upDyno = async (s: DynoSpec) => {
      driver.start(s);
      assert.equal(driver.list().find((d) => d.spec.dynoId === s.dynoId)?.state, 'starting');
      await waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === s.dynoId), { what: `${s.name} up`, timeoutMs: 60_000 });
      const d = driver.list().find((x) => x.spec.dynoId === s.dynoId);
      assert.ok(d);
      return d;
    };
    /** The fixture worker logs its child's pid once its SIGTERM handler is in place. */
    const workerChildPid = async (s: DynoSpec) => {
      const line = await waitFor(() => logs.lines.find((l) => l.appId === s.appId && l.message.includes('child=')), {
        what: 'worker line', timeoutMs: 60_000,
      });
      return Number(/child=(\d+)/.exec(line.message)?.[1]);
    };
    const skip = (c: string) => SKIPS[name]?.[c] ?? false;

    test('a web dyno is up once it accepts on $PORT, with the dyno env and no platform env', { skip: skip('env') }, async () => {
      const s = spec();
      const d = await upDyno(s);
      assert.equal(d.state, 'up');
      assert.ok(d.port && d.host);
      assert.equal(typeof d.isolation, 'string');
      const env = (await (await fetch(`http://${d.host}:${d.port}/env`)).json()) as Record<string, string>;
      assert.equal(env.DYNO, 'web.1');
      assert.equal(env.PORT, String(d.port));
      assert.equal(env.CUPAAS_APP, 'fixture');
      assert.equal(env.CUPAAS_RELEASE_VERSION, '2');
      assert.equal(env.FROM_PROFILE, 'yes-then-profile', '.profile.d runs before .profile');
      assert.equal(env.CUPAAS_CONTRACT_CANARY, undefined);
      assert.equal(env.CUPAAS_HOME, undefined);
      await waitFor(() => logs.lines.some((l) => l.source === 'app' && l.process === 'web.1' && l.message === `listening on ${d.port}`), {
        what: 'output line', timeoutMs: 60_000,
      });
      await driver.stop(s.dynoId);
      assert.equal(driver.list().some((x) => x.spec.dynoId === s.dynoId), false);
      assert.equal((await exitOf(s.dynoId)).requested, true);
    });

    test('each dyno has its own writable, ephemeral app dir', { skip: skip('filesystem') }, async () => {
      const a = await upDyno(spec());
      const b = await upDyno(spec({ name: 'web.2', env: { DYNO: 'web.2' } }));
      assert.equal(await (await fetch(`http://${a.host}:${a.port}/write`)).text(), 'ok');
      assert.equal(await (await fetch(`http://${a.host}:${a.port}/read`)).text(), 'web.1');
      assert.equal(await (await fetch(`http://${b.host}:${b.port}/read`)).text(), 'none');
      await driver.stop(a.spec.dynoId);
      const again = await upDyno(spec());
      assert.equal(await (await fetch(`http://${again.host}:${again.port}/read`)).text(), 'none');
      await Promise.all([driver.stop(b.spec.dynoId), driver.stop(again.spec.dynoId)]);
    });

    test('a worker is up once started, and stop ends its child processes too', { skip: skip('group') }, async () => {
      const s = spec({ processType: 'worker' });
      const d = await upDyno(s);
      assert.equal(d.port, null);
      const childPid = await workerChildPid(s);
      if (HOST_PIDS[name]) assert.ok(running(childPid));
      assert.deepEqual(await driver.stop(s.dynoId), { forced: false });
      if (HOST_PIDS[name]) assert.equal(running(childPid), false);
    });

    test('usage, where a driver measures it, counts the whole dyno and ends with it', { skip: skip('usage') || (!driver.usage && 'this driver does not measure usage') }, async () => {
      const s = spec({ processType: 'worker' });
      await upDyno(s);
      await workerChildPid(s);
      const u = driver.usage?.(s.dynoId);
      // The worker and its `sleep` child: more than one small process's memory.
      assert.ok(u && u.rssBytes > 4 * 1024 * 1024 && u.cpuSeconds >= 0, JSON.stringify(u));
      await driver.stop(s.dynoId);
      assert.equal(driver.usage?.(s.dynoId), null);
    });

    test('an exit is reported with its status and not as requested', { skip: skip('crash') }, async () => {
      const s = spec({ env: { DYNO: 'web.1', MODE: 'crash' } });
      driver.start(s);
      const e = await exitOf(s.dynoId);
      assert.equal(e.status, 3);
      assert.equal(e.requested, false);
      assert.equal(driver.list().some((x) => x.spec.dynoId === s.dynoId), false);
    });

    test('processes that ignore SIGTERM are killed after the stop timeout', { skip: skip('stop-timeout') }, async () => {
      const s = spec({ processType: 'worker', env: { DYNO: 'worker.1', IGNORE_TERM: '1' } });
      await upDyno(s);
      await workerChildPid(s);
      const t0 = Date.now();
      assert.deepEqual(await driver.stop(s.dynoId), { forced: true });
      assert.ok(Date.now() - t0 >= config.dyno.stopTimeoutMs - 50);
      assert.ok([137, 143].includes((await exitOf(s.dynoId)).status));
    });

    test('stop with kill does not wait for SIGTERM handling', { skip: skip('kill') }, async () => {
      const s = spec({ processType: 'worker', env: { DYNO: 'worker.1', IGNORE_TERM: '1' } });
      await upDyno(s);
      await workerChildPid(s);
      const t0 = Date.now();
      await driver.stop(s.dynoId, { kill: true });
      assert.ok(Date.now() - t0 < config.dyno.stopTimeoutMs);
    });

    test('a dyno that cannot be launched is reported as exited with an error', { skip: skip('launch-failure') }, async () => {
      const missing = `SHA256:${'0'.repeat(64)}`;
      const s = spec({ artifact: { slugChecksum: missing, image: artifact.image && { id: missing.replace('SHA256:', 'sha256:'), ref: missing.replace('SHA256:', 'sha256:') } } });
      driver.start(s);
      const e = await exitOf(s.dynoId);
      assert.equal(e.requested, false);
      assert.ok(e.error);
    });

    /** Starts an attached one-off dyno running `command`, feeds it `input`; resolves with its output and status. */
    const runAttached = async (command: string, input: string, tty: boolean) => {
      const chunks: Buffer[] = [];
      const s = spec({
        processType: 'run', name: 'run.1', command, web: false, env: { DYNO: 'run.1', COLUMNS: '100', LINES: '30' },
        oneOff: { attachment: { tty, input: Readable.from([Buffer.from(input)]), output: (c) => chunks.push(c) } },
      });
      driver.start(s);
      const e = await exitOf(s.dynoId);
      return { output: Buffer.concat(chunks).toString(), status: e.status, requested: e.requested, dynoId: s.dynoId };
    };

    test('an attached one-off dyno reads the client\'s input and returns output and status', { skip: skip('attach') }, async () => {
      const r = await runAttached('read x; echo "got:$x"; echo oops >&2; exit 3', 'hello\n', false);
      assert.match(r.output, /got:hello/);
      assert.match(r.output, /oops/);
      assert.equal(r.status, 3);
      assert.equal(r.requested, false);
      assert.ok(!logs.lines.some((l) => l.message.includes('got:hello')), 'attached output stays out of the logs');
    });

    test('an attached one-off dyno gets a terminal of the asked size when asked', { skip: skip('attach-tty') }, async () => {
      const r = await runAttached('[ -t 0 ] && [ -t 1 ] && echo "tty:$(stty size)"', '', true);
      assert.match(r.output, /tty:30 100/);
      assert.equal(r.status, 0);
      const plain = await runAttached('[ -t 1 ] || echo no-tty', '', false);
      assert.match(plain.output, /no-tty/);
    });

    test('a new driver on the same home adopts the dynos left running: same process, output still arriving, stop works', { skip: skip('adopt') }, async () => {
      const s = spec();
      const d = await upDyno(s);
      const pidOf = async () => ((await (await fetch(`http://${d.host}:${d.port}/`)).json()) as { pid: number }).pid;
      const pid = await pidOf();
      const next = newDriver();
      const nextEvents: DynoEvent[] = [];
      next.subscribe((e) => nextEvents.push(e));
      await next.adopt();
      const adopted = await waitFor(() => next.list().find((x) => x.spec.dynoId === s.dynoId && x.state === 'up'), { what: 'adopted dyno up', timeoutMs: 60_000 });
      assert.deepEqual([adopted.host, adopted.port, adopted.spec.name, adopted.spec.releaseVersion], [d.host, d.port, 'web.1', 2]);
      assert.deepEqual(adopted.spec.env, s.env, 'the env is the one the dyno was started with');
      assert.equal(await pidOf(), pid, 'the same process, not a restarted one');
      const word = `after-adoption-${s.dynoId}`;
      assert.equal(await (await fetch(`http://${d.host}:${d.port}/say/${word}`)).text(), 'ok');
      await waitFor(() => logs.lines.some((l) => l.appId === s.appId && l.message === `said ${word}`), { what: 'output after adoption', timeoutMs: 60_000 });
      assert.equal(events.some((e) => e.type === 'exited' && e.dynoId === s.dynoId), false, 'adopting restarted nothing');
      assert.deepEqual(await next.stop(s.dynoId), { forced: false });
      // The stop reached the adopted process itself. (Not probed by connecting: a container's address
      // leaves with its network, and a connection to it would then be routed off the machine.)
      await waitFor(() => logs.lines.some((l) => l.appId === s.appId && l.message === 'got SIGTERM'), { what: 'the SIGTERM seen by the adopted process', timeoutMs: 10_000 });
      const exit = await waitFor(() => nextEvents.find((e) => e.type === 'exited' && e.dynoId === s.dynoId), { what: 'exit seen by the adopter', timeoutMs: 60_000 });
      assert.equal(exit.type === 'exited' && exit.requested, true);
      assert.equal(next.list().some((x) => x.spec.dynoId === s.dynoId), false);
    });
  });
}

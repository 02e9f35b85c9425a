/**
 * Sandboxed dynos against a hostile app (test/fixtures/hostile-app): every
 * attack must fail while another app's dyno keeps answering. Runs the local
 * driver with the sandbox launcher directly (no build pipeline needed).
 * Needs root, bubblewrap, writable cgroups and network namespaces.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_STACK_PATH, type DynoSize } from '../../src/config/index.js';
import type { DynoEvent, DynoSpec, ObservedDyno } from '../../src/runtime/index.js';
import { createLocalDriver } from '../../src/runtime/local/index.js';
import { createSandboxLauncher, prepareServicesAddress, sandboxDoctor } from '../../src/runtime/local/sandbox/index.js';
import { newId } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/logger.js';
import { run } from '../../src/shared/process.js';
import { waitFor } from '../../src/shared/wait.js';
import { createSlugArchive } from '../../src/slugs/index.js';
import { collectingLogSink, running } from '../support/runtime-fixtures.js';
import { SANDBOX_AUTO } from '../support/sandbox-config.js';

const HOSTILE_APP = new URL('../fixtures/hostile-app', import.meta.url).pathname;
const sandbox = SANDBOX_AUTO;
/** Small enough to hit quickly: 96 MB quota, 192 MB hard limit, half a core, 64 processes. */
const SMALL: DynoSize = { name: 'test-small', memoryMb: 96, hardLimitFactor: 2, cpuShares: 256, cpuQuota: 0.5, pidsLimit: 64 };
const NORMAL: DynoSize = { name: 'test-normal', memoryMb: 256, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 };

const doctor = await sandboxDoctor(sandbox);
const skip = /^bubblewrap\+cgroup-v[12]\+netns$/.test(doctor.isolation)
  ? false
  : `needs root with bubblewrap, cgroups and network namespaces; here:\n${doctor.report}`;

describe('sandboxed dynos against a hostile app', { skip }, () => {
  const home = mkdtempSync(join(tmpdir(), 'cupaas-sandbox-'));
  const logs = collectingLogSink();
  const config = {
    home, sandbox, stackPath: DEFAULT_STACK_PATH,
    dyno: { bootTimeoutMs: 10_000, stopTimeoutMs: 1500, crashBackoffBaseMs: 1000, crashBackoffMaxMs: 1000 },
  };
  const newDriver = () =>
    createLocalDriver(
      { config, logs, logger: silentLogger },
      { launcher: createSandboxLauncher({ sandbox, stateDir: home, logs, logger: silentLogger, sizes: [SMALL, NORMAL], memory: { intervalMs: 100, r14EveryMs: 60_000 } }) },
    );
  const driver = newDriver();
  const events: DynoEvent[] = [];
  driver.subscribe((e) => events.push(e));
  let checksum = '';
  const hostileApp = newId();
  const otherApp = newId();
  let other: ObservedDyno;
  let servicesAddress: string | null = null;

  const spec = (appId: string, name = 'web.1', size = NORMAL.name): DynoSpec => ({
    dynoId: newId(), appId, name, processType: 'web', releaseId: 'r1', releaseVersion: 1, artifact: { slugChecksum: checksum, image: null },
    command: 'node server.js', size, env: { DYNO: name }, web: true, healthCheckPath: null,
  });
  const up = async (s: DynoSpec) => {
    driver.start(s);
    await waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === s.dynoId), { what: `${s.name} up` });
    return driver.list().find((d) => d.spec.dynoId === s.dynoId) as ObservedDyno;
  };
  const exitOf = (dynoId: string, timeoutMs = 10_000) =>
    waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === dynoId), {
      what: 'exit', timeoutMs,
    });
  const get = async <T = Record<string, unknown>>(d: ObservedDyno, path: string): Promise<T> =>
    (await (await fetch(`http://${d.host}:${d.port}${path}`, { signal: AbortSignal.timeout(5000) })).json()) as T;
  /** The other app answers, and quickly. */
  const otherAnswers = async (boundMs: number) => {
    const t0 = Date.now();
    const r = await get(other, '/');
    assert.equal(r.dyno, 'web.1');
    return Date.now() - t0 <= boundMs;
  };

  before(async () => {
    checksum = (await createSlugArchive(join(home, 'slugs')).pack(HOSTILE_APP)).checksum;
    await driver.adopt();
    servicesAddress = (await prepareServicesAddress({ sandbox }, silentLogger))?.address ?? null;
    other = await up(spec(otherApp));
  });
  after(async () => {
    await driver.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('each dyno reports its isolation and answers on its private address', () => {
    assert.equal(other.isolation, doctor.isolation);
    assert.match(other.host ?? '', /^172\.(1[6-9]|2\d|3[01])\./);
  });

  test('it runs unprivileged, named after the dyno, and cannot read the platform or other apps', async () => {
    const s = spec(hostileApp);
    const d = await up(s);
    const me = await get<Record<string, string>>(d, '/whoami');
    assert.equal(me.hostname, 'web.1');
    assert.equal(me.cwd, '/app');
    assert.notEqual(me.uid?.split('\t')[0], '0');
    assert.equal(me.capEff, '0000000000000000');
    assert.equal(me.capBnd, '0000000000000000');
    assert.equal(me.noNewPrivs, '1');
    const otherDynoDir = join(home, 'dynos', other.spec.dynoId, 'app');
    for (const path of ['/etc/shadow', join(home, 'secret.key'), join(otherDynoDir, 'server.js')]) {
      assert.equal((await get(d, `/read?path=${encodeURIComponent(path)}`)).ok, false, path);
    }
    for (const path of [home, join(home, 'releases'), '/root', '/home', '/var']) {
      assert.equal((await get(d, `/list?path=${encodeURIComponent(path)}`)).ok, false, path);
    }
    await driver.stop(s.dynoId);
  });

  test('it sees only its own processes', async () => {
    const s = spec(hostileApp);
    const d = await up(s);
    const ps = await get<Array<{ pid: number; cmd: string }>>(d, '/ps');
    assert.ok(ps.length <= 4, JSON.stringify(ps));
    assert.ok(ps.every((p) => p.pid < 10));
    assert.ok(ps.some((p) => p.cmd === 'node server.js'));
    await driver.stop(s.dynoId);
  });

  test('a stop delivers SIGTERM to the app and lets it finish draining', async () => {
    const s = spec(hostileApp, 'web.3');
    await up(s);
    assert.deepEqual(await driver.stop(s.dynoId), { forced: false });
    const mine = logs.lines.filter((l) => l.appId === hostileApp && l.process === 'web.3').map((l) => l.message);
    assert.ok(mine.includes('got SIGTERM, draining') && mine.includes('drained'), mine.join('\n'));
    assert.equal((await exitOf(s.dynoId)).status, 0);
  });

  test('/app is per dyno and gone after a restart', async () => {
    const a = await up(spec(hostileApp));
    const b = await up(spec(hostileApp, 'web.2'));
    await get(a, '/write');
    assert.equal((await get(a, '/scratch')).text, 'web.1');
    assert.equal((await get(b, '/scratch')).ok, false);
    await driver.stop(a.spec.dynoId);
    const again = await up(spec(hostileApp));
    assert.equal((await get(again, '/scratch')).ok, false);
    await Promise.all([driver.stop(b.spec.dynoId), driver.stop(again.spec.dynoId)]);
  });

  test('a memory hog logs R14, is killed with R15, and can start again; the other app keeps answering', async () => {
    const s = spec(hostileApp, 'web.1', SMALL.name);
    const d = await up(s);
    await get(d, '/memory-hog');
    const exited = exitOf(s.dynoId, 20_000);
    const answered: boolean[] = [];
    while (!events.some((e) => e.type === 'exited' && e.dynoId === s.dynoId)) answered.push(await otherAnswers(2000));
    const e = await exited;
    assert.equal(e.requested, false);
    assert.equal(e.status, 137);
    const mine = logs.lines.filter((l) => l.appId === hostileApp && l.source === 'heroku').map((l) => l.message);
    assert.ok(mine.some((m) => /^Process running mem=\d+M\(\d+\.\d%\)$/.test(m)), mine.join('\n'));
    assert.ok(mine.includes('Error R14 (Memory quota exceeded)'), mine.join('\n'));
    assert.ok(mine.includes('Error R15 (Memory quota vastly exceeded)'), mine.join('\n'));
    assert.ok(answered.length > 0 && answered.every(Boolean), 'the other app answered within 2 s throughout');
    const restarted = await up(spec(hostileApp, 'web.1', SMALL.name));
    await driver.stop(restarted.spec.dynoId);
  });

  test('a fork bomb stops at the pids limit and harms nobody else', async () => {
    const s = spec(hostileApp, 'web.1', SMALL.name);
    const d = await up(s);
    const bomb = await get<{ spawned: number; error: string | null }>(d, '/fork-bomb?limit=1000');
    assert.ok(bomb.spawned < SMALL.pidsLimit, `spawned ${bomb.spawned}`);
    assert.equal(bomb.error, 'EAGAIN');
    assert.ok(await otherAnswers(2000));
    assert.equal((await run(['true'])).code, 0, 'the host still forks');
    // This dyno's bomb only (its cgroup is named after it): other test files may run a `sleep 300` too.
    const inDyno = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(s.dynoId);
      } catch {
        return false; // Gone already.
      }
    };
    const pids = (await run(['pgrep', '-f', '^sleep 300$'])).stdout.split('\n').filter(Boolean).map(Number).filter(inDyno);
    assert.ok(pids.length > 0, 'the bomb\'s processes are found in the dyno');
    await driver.stop(s.dynoId);
    assert.ok(pids.every((pid) => !running(pid)), 'every bomb process is gone with the dyno');
  });

  test('a CPU hog (capped at half a core) does not stop the other app answering', async () => {
    const s = spec(hostileApp, 'web.1', SMALL.name);
    const d = await up(s);
    await get(d, '/cpu-hog?seconds=3');
    const deadline = Date.now() + 2500;
    while (Date.now() < deadline) assert.ok(await otherAnswers(1000), 'answered within 1 s');
    await driver.stop(s.dynoId);
  });

  test("it cannot reach another app's dyno, but reaches the host end of its own link and the services address", async () => {
    const s = spec(hostileApp);
    const d = await up(s);
    const direct = await get(d, `/connect?host=${other.host}&port=${other.port}`);
    assert.equal(direct.ok, false);
    const otherHostEnd = (other.host as string).replace(/\d+$/, (n) => String(Number(n) - 1));
    assert.equal((await get(d, `/connect?host=${otherHostEnd}&port=${other.port}`)).ok, false);
    const ownHostEnd = (d.host as string).replace(/\d+$/, (n) => String(Number(n) - 1));
    assert.equal(servicesAddress, '172.31.255.254', 'the services address is the pool\'s last usable address');
    for (const host of [ownHostEnd, servicesAddress as string]) {
      const server = createServer((c) => c.end());
      await new Promise<void>((r) => server.listen(0, host, r));
      try {
        const port = (server.address() as AddressInfo).port;
        assert.equal((await get(d, `/connect?host=${host}&port=${port}`)).ok, true, host);
      } finally {
        server.close();
      }
    }
    assert.match(doctor.report, /\[on\] +services address: 172\.31\.255\.254 on lo/);
    await driver.stop(s.dynoId);
  });

  test("an app's BASH_ENV runs nothing in the host-side shell that records the dyno's exit status", async () => {
    const marker = join(home, 'bash-env-ran');
    const script = join(home, 'bash-env.sh');
    writeFileSync(script, `touch ${marker}\n`);
    const s = { ...spec(hostileApp), env: { DYNO: 'web.1', BASH_ENV: script } };
    await up(s);
    await driver.stop(s.dynoId);
    assert.equal((await exitOf(s.dynoId)).requested, true);
    assert.equal(existsSync(marker), false);
  });

  test("an app's loader and PATH variables run nothing as root before the sandbox: only the app's program gets them", async () => {
    // Any process that loads this library, or runs these programs, outside the sandbox leaves a file in `seen`
    // (a host dir the sandbox cannot see, so the app's own processes inside cannot write there).
    const seen = join(home, 'seen-outside');
    const evil = join(home, 'evil-bin');
    await run(['mkdir', '-p', seen, evil]);
    const source = join(home, 'preload.c');
    writeFileSync(source, `#include <stdio.h>\n#include <unistd.h>\n__attribute__((constructor)) static void mark(void) {\n` +
      `  char p[512]; snprintf(p, sizeof p, "${seen}/preload-%d", (int)getpid()); FILE *f = fopen(p, "w"); if (f) fclose(f); }\n`);
    const library = join(home, 'preload.so');
    assert.equal((await run(['gcc', '-shared', '-fPIC', '-o', library, source])).code, 0);
    for (const name of ['bwrap', 'nsenter', 'setpriv', 'env', 'sh', 'bash']) {
      writeFileSync(join(evil, name), `#!/bin/sh\ntouch ${seen}/path-${name}\nexit 1\n`, { mode: 0o755 });
    }
    const s = { ...spec(hostileApp), env: { DYNO: 'web.1', LD_PRELOAD: library, GCONV_PATH: evil, PATH: `${evil}:${DEFAULT_STACK_PATH}` } };
    const d = await up(s);
    const { env } = await get<{ env: Record<string, string> }>(d, '/env');
    await driver.stop(s.dynoId);
    await exitOf(s.dynoId);
    assert.deepEqual((await run(['ls', seen])).stdout.split('\n').filter(Boolean), [], 'nothing ran outside the sandbox');
    assert.equal(env.LD_PRELOAD, library, "the app's own program still gets its LD_PRELOAD");
    assert.equal(env.PATH, `${evil}:${DEFAULT_STACK_PATH}`, 'and its PATH');
  });

  test('a new driver on the same home adopts a sandboxed dyno with its cgroup and network, and releases them when it ends', async () => {
    const s = spec(hostileApp);
    const d = await up(s);
    const record = JSON.parse(readFileSync(join(home, 'dynos', s.dynoId, 'sandbox.json'), 'utf8')) as {
      cgroupDirs: string[]; network: { netns: string; hostInterface: string };
    };
    assert.ok(record.cgroupDirs.length > 0 && record.cgroupDirs.every((d) => existsSync(d)));
    assert.ok(existsSync(`/run/netns/${record.network.netns}`));
    const pids = (await run(['pgrep', '-f', '--', `--hostname ${s.name} .*${s.dynoId}`])).stdout.split('\n').filter(Boolean).map(Number);
    assert.ok(pids.length > 0);
    const before = await get<{ pid: number }>(d, '/');
    const next = newDriver();
    const nextEvents: DynoEvent[] = [];
    next.subscribe((e) => nextEvents.push(e));
    await next.adopt();
    const adopted = await waitFor(() => next.list().find((x) => x.spec.dynoId === s.dynoId && x.state === 'up'), { what: 'adopted', timeoutMs: 30_000 });
    assert.deepEqual([adopted.host, adopted.port, adopted.isolation], [d.host, d.port, d.isolation]);
    assert.equal((await get<{ pid: number }>(d, '/')).pid, before.pid, 'the same process');
    assert.ok(pids.every(running), 'nothing of it was stopped');
    assert.ok(record.cgroupDirs.every((d) => existsSync(d)), 'it keeps its cgroup');
    assert.ok(existsSync(`/run/netns/${record.network.netns}`), 'it keeps its namespace');
    await next.stop(s.dynoId);
    await waitFor(() => nextEvents.some((e) => e.type === 'exited' && e.dynoId === s.dynoId), { what: 'adopted dyno stopped', timeoutMs: 30_000 });
    await exitOf(s.dynoId);
    assert.ok(pids.every((pid) => !running(pid)));
    assert.ok(record.cgroupDirs.every((d) => !existsSync(d)), 'its cgroup is gone');
    assert.equal(existsSync(`/run/netns/${record.network.netns}`), false, 'its namespace is gone');
    assert.equal(existsSync(`/sys/class/net/${record.network.hostInterface}`), false, 'its veth is gone');
    assert.equal(existsSync(join(home, 'dynos', s.dynoId)), false);
    await next.close();
  });
});

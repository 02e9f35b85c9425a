/**
 * What the docker driver promises beyond the shared runtime contract, on the
 * real engine: a dyno runs as the stack's non-root user without capabilities
 * or the engine's socket, reaches add-on servers on the services address, and
 * cannot reach another app's containers (a network per app).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { DEFAULT_STACK_PATH } from '../../config/index.js';
import { connectEngine, ensureStackImage, homeLabel, imageFromSlug } from '../../images/index.js';
import { newId } from '../../shared/ids.js';
import { silentLogger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { createSlugArchive } from '../../slugs/index.js';
import { engineMissing, removeEngineObjects } from '../../../test/support/engine.js';
import { collectingLogSink, FIXTURE_PROCESS_TYPES, packFixtureSlug } from '../../../test/support/runtime-fixtures.js';
import type { DynoEvent, DynoSpec } from '../types.js';
import { createDockerDriver } from './index.js';
import { SANDBOX_AUTO } from '../../../test/support/sandbox-config.js';

const missing = (await engineMissing()) ?? (process.getuid?.() !== 0 ? 'needs root (the services address)' : null);
const sandbox = SANDBOX_AUTO;

/** A worker command that prints `name=value` facts about its dyno, then idles. */
const PROBE = [
  'echo "uid=$(id -u)"',
  'echo "capeff=$(grep CapEff /proc/self/status | cut -f2)"',
  'if [ -e /var/run/docker.sock ]; then echo socket=present; else echo socket=absent; fi',
  'node -e \'const s=require("net").connect(+process.argv[2],process.argv[1]);s.setTimeout(3000);s.on("connect",()=>{console.log("services=ok");s.end()});s.on("timeout",()=>{console.log("services=timeout");s.destroy()});s.on("error",e=>console.log("services="+e.code))\' "$TARGET_HOST" "$TARGET_PORT"',
  'node -e \'const s=require("net").connect(5000,process.argv[1]);s.setTimeout(3000);s.on("connect",()=>{console.log("peer=ok");s.end()});s.on("timeout",()=>{console.log("peer=timeout");s.destroy()});s.on("error",e=>console.log("peer="+e.code))\' "$PEER_HOST"',
  'sleep 1000',
].join('; ');

describe('docker driver', { skip: missing ?? false }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'cupaas-docker-driver-'));
  const logs = collectingLogSink();
  const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 30_000, stopTimeoutMs: 1000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 } };
  const driver = createDockerDriver({ config, logs, logger: silentLogger }, { socketPath: '/var/run/docker.sock', sandbox });
  const events: DynoEvent[] = [];
  driver.subscribe((e) => events.push(e));
  let server: Server | undefined;
  after(async () => {
    await driver.close();
    server?.close();
    await removeEngineObjects(home);
    rmSync(home, { recursive: true, force: true });
  });
  const engine = connectEngine('/var/run/docker.sock');
  await ensureStackImage(engine, silentLogger);
  const { checksum } = await packFixtureSlug(home);
  const id = await imageFromSlug(engine, createSlugArchive(join(home, 'slugs')), { checksum, home: homeLabel(home), cmd: null });
  const spec = (appId: string, over: Partial<DynoSpec>): DynoSpec => ({
    dynoId: newId(), appId, name: 'web.1', processType: 'web', releaseId: 'r1', releaseVersion: 1,
    artifact: { slugChecksum: checksum, image: { id, ref: id } }, command: FIXTURE_PROCESS_TYPES.web as string, size: 'standard-1x',
    env: { DYNO: 'web.1' }, web: true, healthCheckPath: null, ...over,
  });
  const up = (dynoId: string) => waitFor(() => events.find((e) => e.type === 'up' && e.dynoId === dynoId)?.dyno, { timeoutMs: 60_000, what: 'up' });
  const facts = (appId: string) =>
    waitFor(() => {
      const lines = logs.lines.filter((l) => l.appId === appId && /^\w+=/.test(l.message)).map((l) => l.message);
      return lines.length >= 5 ? Object.fromEntries(lines.map((l) => l.split('=') as [string, string])) : undefined;
    }, { timeoutMs: 30_000, what: 'probe output' });

  test('non-root, no capabilities, no engine socket; add-ons reachable; other apps not', async () => {
    const services = await driver.servicesAddress();
    assert.ok(services, 'a services address as root');
    server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server!.listen(0, services.address, resolve));
    const port = (server.address() as { port: number }).port;

    const [appA, appB] = [newId(), newId()];
    const webA = spec(appA, {});
    driver.start(webA);
    const a = await up(webA.dynoId);
    const probe = (appId: string) =>
      spec(appId, {
        name: 'worker.1', processType: 'worker', web: false, command: PROBE,
        env: { DYNO: 'worker.1', TARGET_HOST: services.address, TARGET_PORT: String(port), PEER_HOST: a.host as string },
      });
    driver.start(probe(appB));
    driver.start(probe(appA));
    const other = await facts(appB);
    const same = await facts(appA);
    assert.deepEqual(
      { uid: other.uid, capeff: other.capeff, socket: other.socket, services: other.services },
      { uid: '10001', capeff: '0000000000000000', socket: 'absent', services: 'ok' },
    );
    assert.notEqual(other.peer, 'ok', "another app's container is out of reach");
    assert.equal(same.peer, 'ok', 'dynos of one app reach each other');
  });

  test('memory over the quota logs R14; at the hard limit the kernel kills and R15 is logged', async () => {
    const hog = (appId: string, mb: number) =>
      spec(appId, {
        name: 'worker.1', processType: 'worker', web: false,
        command: `node -e 'const a=[];for(let i=0;i<${mb};i++)a.push(Buffer.alloc(1<<20,1));console.log("holding");setInterval(()=>a.length,1000)'`,
        env: { DYNO: 'worker.1' },
      });
    const lineOf = (appId: string, re: RegExp) =>
      waitFor(() => logs.lines.find((l) => l.appId === appId && re.test(l.message)), { timeoutMs: 60_000, what: `${re} logged` });
    const over = hog(newId(), 700);
    driver.start(over);
    await lineOf(over.appId, /^holding$/);
    await lineOf(over.appId, /^Error R14 \(Memory quota exceeded\)$/);
    assert.match((await lineOf(over.appId, /^Process running mem=/)).message, /mem=\d+M\(1\d\d\.\d%\)/);
    await driver.stop(over.dynoId);

    const vastly = hog(newId(), 1500);
    driver.start(vastly);
    await lineOf(vastly.appId, /^Error R15 \(Memory quota vastly exceeded\)$/);
    await waitFor(() => events.some((e) => e.type === 'exited' && e.dynoId === vastly.dynoId), { timeoutMs: 60_000, what: 'exit' });
    assert.equal(logs.lines.filter((l) => l.appId === vastly.appId && l.message.startsWith('Error R15')).length, 1, 'R15 once');
    const exit = await waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === vastly.dynoId), {
      timeoutMs: 60_000, what: 'the killed dyno exited',
    });
    assert.equal(exit.requested, false);
    assert.equal(exit.status, 137);
  });
});

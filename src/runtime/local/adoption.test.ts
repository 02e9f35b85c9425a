/**
 * What only the local driver's adoption does (the shared part is in the
 * runtime contract): an adopted dyno's exit status comes from its shell's
 * status file, or is reported unknown; leftovers that cannot be adopted are cleaned.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFAULT_STACK_PATH } from '../../config/index.js';
import { newId } from '../../shared/ids.js';
import { silentLogger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { collectingLogSink, packFixtureSlug } from '../../../test/support/runtime-fixtures.js';
import type { DynoEvent, DynoSpec, RuntimeDriver } from '../types.js';
import { createLocalDriver } from './index.js';

const home = mkdtempSync(join(tmpdir(), 'cupaas-adopt-'));
const logs = collectingLogSink();
const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 5000, stopTimeoutMs: 3000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 } };
const drivers: RuntimeDriver[] = [];
const hosts: ChildProcess[] = [];
after(async () => {
  for (const h of hosts) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
  for (const d of drivers) await d.close();
  rmSync(home, { recursive: true, force: true });
});
/** A driver and the events it reports. */
const newDriver = () => {
  const driver = createLocalDriver({ config, logs, logger: silentLogger });
  drivers.push(driver);
  const events: DynoEvent[] = [];
  driver.subscribe((e) => events.push(e));
  const exitOf = (dynoId: string) =>
    waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === dynoId), { what: 'exit', timeoutMs: 60_000 });
  return { driver, exitOf };
};
const checksum = (await packFixtureSlug(home)).checksum;
/**
 * A worker that prints `said-while-down` when `say-now` appears in its app
 * dir, and exits with status 7 once `stop-now` does.
 */
const worker = (): DynoSpec => ({
  dynoId: newId(), appId: newId(), name: 'worker.1', processType: 'worker', releaseId: 'r1', releaseVersion: 1,
  artifact: { slugChecksum: checksum, image: null },
  command: 'echo started; while [ ! -e stop-now ]; do [ -e say-now ] && echo said-while-down && rm say-now; sleep 0.1; done; exit 7',
  size: 'standard-1x', env: { DYNO: 'worker.1' }, web: false, healthCheckPath: null,
});
const HOST = new URL('../../../test/support/local-driver-host.ts', import.meta.url).pathname;

/**
 * Starts a worker from a server stand-in process, kills that with SIGKILL
 * once it has read the worker's first line, has the worker print a line while
 * no server runs, and adopts it from a new driver.
 */
const adoptedWorker = async () => {
  const s = worker();
  const dir = join(home, 'dynos', s.dynoId);
  const host = spawn(process.execPath, ['--import', 'tsx', HOST, home, JSON.stringify(s)], { stdio: ['ignore', 'pipe', 'inherit'] });
  hosts.push(host);
  await once(host.stdout, 'data');
  await waitFor(() => existsSync(join(dir, 'output.offset')), { what: 'first line read', timeoutMs: 60_000 });
  host.kill('SIGKILL');
  await once(host, 'exit');
  writeFileSync(join(dir, 'app', 'say-now'), '');
  await waitFor(() => !existsSync(join(dir, 'app', 'say-now')), { what: 'a line printed while no server ran', timeoutMs: 60_000 });
  const next = newDriver();
  await next.driver.adopt();
  assert.equal(next.driver.list().find((d) => d.spec.dynoId === s.dynoId)?.state, 'up');
  const mine = () => logs.lines.filter((l) => l.appId === s.appId && l.source === 'app').map((l) => l.message);
  await waitFor(() => mine().includes('said-while-down'), { what: 'the line printed while no server ran', timeoutMs: 60_000 });
  assert.deepEqual(mine(), ['said-while-down'], 'what the killed server had read is not repeated');
  return { s, next, dir };
};

test("an adopted dyno's exit is reported with the status its shell wrote", async () => {
  const { s, next, dir } = await adoptedWorker();
  writeFileSync(join(dir, 'app', 'stop-now'), '');
  const adopted = await next.exitOf(s.dynoId);
  assert.deepEqual([adopted.status, adopted.requested], [7, false]);
  assert.equal(existsSync(dir), false, 'its scratch dir is deleted');
});

test('an adopted dyno killed by someone else is reported with its status unknown', async () => {
  const { s, next, dir } = await adoptedWorker();
  const { pid } = JSON.parse(readFileSync(join(dir, 'dyno.json'), 'utf8')) as { pid: number };
  process.kill(-pid, 'SIGKILL');
  assert.equal((await next.exitOf(s.dynoId)).status, 255);
  assert.ok(logs.lines.some((l) => l.appId === s.appId && l.source === 'heroku' && /exit status unknown/.test(l.message)));
});

test('a record whose process is gone is not adopted; its scratch dir is deleted', async () => {
  const gone = spawnSync('true').pid as number;
  const spec = worker();
  const dir = join(home, 'dynos', spec.dynoId);
  mkdirSync(dir, { recursive: true });
  const { env: _env, ...rest } = spec;
  writeFileSync(join(dir, 'dyno.json'), JSON.stringify({
    dynoId: spec.dynoId, appId: spec.appId, name: spec.name, pid: gone, startTime: '1', spec: rest, envKeys: ['DYNO'],
    observed: { host: null, port: null, isolation: 'none' },
  }));
  const { driver } = newDriver();
  await driver.adopt();
  assert.equal(driver.list().length, 0);
  assert.equal(existsSync(dir), false);
});

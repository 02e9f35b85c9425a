/**
 * Sandbox start-cost benchmark (not a test): milliseconds from asking the
 * local driver to start a web dyno to it answering on $PORT, and the memory
 * its processes hold, for plain dynos and for sandboxed ones (with and
 * without the private network). Then a burst, as a scale-out makes one: nine
 * sandboxed dynos started at once next to a running one, until all are up,
 * with the spare networks of the default pool and with none (interleaved,
 * BURST_RUNS each). Prints JSON, then a short table. Needs root for the
 * sandboxed rows. Run with `npm run bench:sandbox`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_STACK_PATH } from '../src/config/index.js';
import type { DynoEvent, DynoSpec } from '../src/runtime/index.js';
import { createLocalDriver, plainLauncher, type Launcher } from '../src/runtime/local/index.js';
import { createSandboxLauncher } from '../src/runtime/local/sandbox/index.js';
import { newId } from '../src/shared/ids.js';
import { silentLogger } from '../src/shared/logger.js';
import { resolveConfig } from '../src/config/index.js';
import { waitFor } from '../src/shared/wait.js';
import { collectingLogSink, FIXTURE_PROCESS_TYPES, packFixtureSlug } from '../test/support/runtime-fixtures.js';
import { groupRssKb } from './support/proc.js';
import { tempDir } from '../test/support/temp.js';
import { SANDBOX_AUTO } from '../test/support/sandbox-config.js';

const DYNOS = 5;
const sandbox = SANDBOX_AUTO;

/** web.`i` of the fixture slug, as the reconciler would ask for it. */
const webDyno = (dynoId: string, i: number, checksum: string): DynoSpec => ({
  dynoId, appId: 'bench', name: `web.${i}`, processType: 'web', releaseId: 'r1', releaseVersion: 1, artifact: { slugChecksum: checksum, image: null },
  command: FIXTURE_PROCESS_TYPES.web as string, size: 'standard-1x', env: { DYNO: `web.${i}` }, web: true, healthCheckPath: null,
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function measure(label: string, launcher: Launcher) {
  const home = mkdtempSync(join(tmpdir(), 'cupaas-bench-sandbox-'));
  const logs = collectingLogSink();
  const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 30_000, stopTimeoutMs: 2000, crashBackoffBaseMs: 1000, crashBackoffMaxMs: 1000 } };
  const driver = createLocalDriver({ config, logs, logger: silentLogger }, { launcher });
  const events: DynoEvent[] = [];
  driver.subscribe((e) => events.push(e));
  try {
    await driver.adopt();
    const { checksum } = await packFixtureSlug(home);
    const startMs: number[] = [];
    const rssKb: number[] = [];
    for (let i = 1; i <= DYNOS; i++) {
      const dynoId = newId();
      const t0 = performance.now();
      driver.start(webDyno(dynoId, i, checksum));
      await waitFor(() => events.some((e) => e.type === 'up' && e.dynoId === dynoId), { timeoutMs: 30_000, intervalMs: 5, what: 'up' });
      startMs.push(performance.now() - t0);
    }
    for (const d of driver.list()) {
      const pgid = Number(JSON.parse(readFileSync(join(home, 'dynos', d.spec.dynoId, 'dyno.json'), 'utf8')).pid);
      rssKb.push(groupRssKb(pgid));
    }
    return { label, isolation: launcher.isolation, dynos: DYNOS, startMsMedian: Math.round(median(startMs)), startMs: startMs.map(Math.round), rssKbMedian: median(rssKb) };
  } finally {
    await driver.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const rows = [await measure('plain', plainLauncher)];
for (const privateNetwork of [false, true]) {
  const launcher = createSandboxLauncher({ sandbox: { ...sandbox, privateNetwork }, stateDir: tempDir('cupaas-sandbox-state'), logs: collectingLogSink(), logger: silentLogger });
  rows.push(await measure(privateNetwork ? 'sandbox+netns' : 'sandbox', launcher));
}
const BURST = 9;
const BURST_RUNS = Number(process.env.BENCH_RUNS ?? 5);
const DEFAULT_WARM = resolveConfig({}, { CUPAAS_HOME: tmpdir() }).sandbox.warmNetworks;

/** Milliseconds from starting BURST dynos at once (one already running, the pool given time to fill) until all are up. */
async function burst(warmNetworks: number): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'cupaas-bench-burst-'));
  const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: { bootTimeoutMs: 30_000, stopTimeoutMs: 2000, crashBackoffBaseMs: 1000, crashBackoffMaxMs: 1000 } };
  const logs = collectingLogSink();
  const launcher = createSandboxLauncher({ sandbox: { ...sandbox, warmNetworks }, stateDir: home, logs, logger: silentLogger });
  const driver = createLocalDriver({ config, logs, logger: silentLogger }, { launcher });
  const up = new Set<string>();
  driver.subscribe((e: DynoEvent) => void (e.type === 'up' && up.add(e.dynoId)));
  try {
    await driver.adopt();
    const { checksum } = await packFixtureSlug(home);
    const start = (i: number) => {
      const dynoId = newId();
      driver.start(webDyno(dynoId, i, checksum));
      return dynoId;
    };
    const first = start(1);
    await waitFor(() => up.has(first), { timeoutMs: 30_000, what: 'web.1 up' });
    const spares = join(home, 'spare-networks.json');
    if (warmNetworks) {
      await waitFor(() => existsSync(spares) && (JSON.parse(readFileSync(spares, 'utf8')) as unknown[]).length === warmNetworks, { timeoutMs: 60_000, what: 'the spare networks' });
    }
    const t0 = performance.now();
    const ids = Array.from({ length: BURST }, (_, i) => start(i + 2));
    await waitFor(() => ids.every((id) => up.has(id)), { timeoutMs: 60_000, intervalMs: 5, what: `${BURST} dynos up` });
    return performance.now() - t0;
  } finally {
    await driver.close();
    rmSync(home, { recursive: true, force: true });
  }
}

const bursts = new Map<number, number[]>([[DEFAULT_WARM, []], [0, []]]);
if (rows.some((r) => r.isolation.includes('netns'))) {
  for (let run = 0; run < BURST_RUNS; run++) {
    for (const warm of run % 2 ? [0, DEFAULT_WARM] : [DEFAULT_WARM, 0]) bursts.get(warm)?.push(await burst(warm));
  }
}

const plain = rows[0] as (typeof rows)[number];
const result = rows.map((r) => ({ ...r, extraStartMs: r.startMsMedian - plain.startMsMedian, extraRssKb: r.rssKbMedian - plain.rssKbMedian }));
const burstResults = [...bursts].filter(([, ms]) => ms.length).map(([warmNetworks, ms]) => ({ warmNetworks, dynos: BURST, allUpMsMedian: Math.round(median(ms)), allUpMs: ms.map(Math.round) }));
console.log(JSON.stringify({ benchmark: 'sandbox-start', results: result, burst: burstResults }, null, 2));
console.log('\nmode            isolation                        start ms (median)  extra ms  RSS KB/dyno  extra KB');
for (const r of result) {
  console.log(
    `${r.label.padEnd(16)}${r.isolation.padEnd(33)}${String(r.startMsMedian).padStart(17)}${String(r.extraStartMs).padStart(10)}${String(r.rssKbMedian).padStart(13)}${String(r.extraRssKb).padStart(10)}`,
  );
}
for (const b of burstResults) console.log(`burst of ${b.dynos} sandboxed dynos, ${String(b.warmNetworks).padStart(2)} spare networks: all up in ${b.allUpMsMedian} ms (median of ${b.allUpMs.length})`);

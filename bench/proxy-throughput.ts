/**
 * `npm run bench -- proxy-throughput`: the same wrk load straight to a dyno,
 * through nginx doing the same per-request work (support/nginx.ts), and
 * through the router with each data plane. Runs are interleaved (every
 * target once per round, the start rotating) so a busy shared host disturbs
 * all targets alike; each figure is the median of RUNS rounds, with the
 * ratios taken within a round. Request log lines are counted against the
 * requests wrk completed: a plane that loses records under load shows it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../src/domain/index.js';
import { createHaproxyDataPlane, createNodeDataPlane, type DataPlaneFactory, type HaproxyDataPlane } from '../src/router/index.js';
import { silentLogger } from '../src/shared/logger.js';
import { runChecked } from '../src/shared/process.js';
import { waitFor } from '../src/shared/wait.js';
import { startRouterFixture, type RouterFixture } from '../test/support/router-fixtures.js';
import { spreadOf, type Measurement, type Result } from './support/measurement.js';
import { startNginx } from './support/nginx.js';
import { childrenNamed, processCpuUs } from './support/proc.js';
import { ensureBenchTools } from './support/tools.js';

/** Seconds per wrk run: long enough to settle, short enough for a 2-core machine shared with others. */
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const CONNECTIONS = [50, 200];
/**
 * wrk's threads. One: on two cores shared with the proxy and the dyno, a second
 * wrk thread gave the dyno alone (no proxy) a p99 of 48-230 ms at 200
 * connections in half the runs, against 10-12 ms in every run with one, at
 * about the same throughput (docs/performance.md, round 10): the load
 * generator's own tail, not the target's.
 */
const WRK_THREADS = Math.max(1, Number(process.env.BENCH_WRK_THREADS ?? 1));
/** `BENCH_TARGETS=direct,nginx,router-haproxy` runs only those (direct and nginx are always kept: the ratios need them). */
const ONLY = process.env.BENCH_TARGETS?.split(',');

/** The dyno stand-in: a minimal Node server in its own process, so it does not share the router's event loop. */
const DYNO_SOURCE = `
const http = require('node:http');
const s = http.createServer((req, res) => res.end('hello from the dyno\\n'));
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
`;

async function startDyno(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', DYNO_SOURCE], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  const port = await waitFor(() => Number(out.trim()) || undefined, { what: 'dyno to listen' });
  return { port, child };
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

interface WrkRun { rps: number; p50: number; p99: number; requests: number; cpuUsPerReq?: number }

/** Requests/s, latency percentiles and the request count from `wrk --latency` output. */
function parseWrk(text: string): Omit<WrkRun, 'cpuUsPerReq'> {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
    return m ? Number((Number(m[1]) * (UNITS[m[2] as string] as number)).toFixed(3)) : NaN;
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  return { rps: rps ? Math.round(Number(rps[1])) : NaN, p50: pct('50'), p99: pct('99'), requests: Number(/(\d+) requests in/.exec(text)?.[1] ?? 0) };
}

interface Target {
  name: string;
  url: string;
  host?: string;
  /** Processes doing the proxying; `self` adds this process (the in-process router). */
  cpu?: { pids: () => number[]; self: boolean };
  /** Request log lines written so far, once they have all arrived. */
  logged?: () => Promise<number>;
}

/** One wrk run against a target, with the proxy's CPU per request when known. */
async function wrk(t: Target, connections: number): Promise<WrkRun> {
  const argv = ['wrk', `-t${WRK_THREADS}`, `-c${connections}`, `-d${DURATION_S}s`, '--latency', ...(t.host ? ['-H', `Host: ${t.host}`] : []), t.url];
  const pids = t.cpu?.pids() ?? [];
  const cpuOf = () => pids.reduce((us, pid) => us + processCpuUs(pid), 0) + (t.cpu?.self ? sumCpu(process.cpuUsage()) : 0);
  const before = cpuOf();
  const r = parseWrk((await runChecked(argv, { timeout: (DURATION_S + 30) * 1000 })).stdout);
  const used = cpuOf() - before;
  return { ...r, ...(t.cpu && r.requests ? { cpuUsPerReq: Math.round(used / r.requests) } : {}) };
}
const sumCpu = (u: NodeJS.CpuUsage) => u.user + u.system;

/** A count that stops changing: log lines arrive a moment after their responses. */
async function settledCount(read: () => number | Promise<number>): Promise<number> {
  let last = -1;
  return waitFor(async () => {
    const now = await read();
    const same = now === last;
    last = now;
    return same && now >= 0 ? now : false;
  }, { intervalMs: 300, timeoutMs: 30_000, what: 'request log lines to stop arriving' });
}

/** A router (control plane + `plane`) serving `backend` as app `bench`, counting the app's router log lines. */
async function benchRouter(plane: DataPlaneFactory, backend: Backend, settled = async () => {}) {
  const fx: RouterFixture = await startRouterFixture(plane);
  const app = fx.addApp('bench');
  let lines = 0;
  const unsubscribe = fx.logs.subscribe(app.id, () => lines++);
  fx.router.setBackends(app.id, [backend]);
  await settled();
  return { fx, logged: () => settledCount(() => lines), cleanup: async () => (unsubscribe(), await fx.cleanup()) };
}

function summarize(target: string, connections: number, runs: WrkRun[], direct: WrkRun[], nginx: WrkRun[] | undefined, logged?: number): Result {
  const rps = spreadOf(runs.map((r) => r.rps));
  const p99 = spreadOf(runs.map((r) => r.p99));
  const cpu = runs.every((r) => r.cpuUsPerReq !== undefined) ? spreadOf(runs.map((r) => r.cpuUsPerReq as number)) : undefined;
  const ratio = (ref: WrkRun[]) => +spreadOf(runs.map((r, i) => r.rps / (ref[i] as WrkRun).rps)).median.toFixed(3);
  return {
    measurement: 'proxy-throughput', target, connections, runs: runs.length, loadThreads: WRK_THREADS,
    requestsPerSec: rps.median, p50Ms: spreadOf(runs.map((r) => r.p50)).median, p99Ms: p99.median,
    ...(cpu ? { routerCpuUsPerReq: cpu.median } : {}),
    spread: { requestsPerSec: rps, p99Ms: p99, ...(cpu ? { routerCpuUsPerReq: cpu } : {}) },
    ...(target !== 'direct' ? {
      vsDirect: ratio(direct),
      addedP99Ms: +spreadOf(runs.map((r, i) => r.p99 - (direct[i] as WrkRun).p99)).median.toFixed(3),
    } : {}),
    ...(nginx && target !== 'nginx' && target !== 'direct' ? { vsNginx: ratio(nginx) } : {}),
    ...(logged !== undefined ? { requests: runs.reduce((n, r) => n + r.requests, 0), logged } : {}),
  };
}

export const proxyThroughput: Measurement = {
  name: 'proxy-throughput',
  async run() {
    ensureBenchTools();
    const dyno = await startDyno();
    const backend: Backend = { dynoId: 'bench-web-1', dynoName: 'web.1', host: '127.0.0.1', port: dyno.port };
    const nginx = await startNginx(dyno.port);
    let haproxyPlane: HaproxyDataPlane | undefined;
    const haproxyFactory: DataPlaneFactory = (o, e) =>
      (haproxyPlane = createHaproxyDataPlane({ dir: mkdtempSync(join(tmpdir(), 'cupaas-bench-haproxy-')), logger: silentLogger })(o, e));
    const node = await benchRouter(createNodeDataPlane, backend);
    const haproxy = await benchRouter(haproxyFactory, backend, async () => haproxyPlane?.settled());
    try {
      const all: Target[] = [
        { name: 'direct', url: `http://127.0.0.1:${dyno.port}/` },
        { name: 'nginx', url: `http://127.0.0.1:${nginx.port}/`, cpu: { pids: nginx.pids, self: false }, logged: () => nginx.loggedLines() },
        // The HAProxy plane's CPU is HAProxy's plus this process's (which reads and formats its log lines).
        { name: 'router-haproxy', url: `http://127.0.0.1:${haproxy.fx.port}/`, host: 'bench.localhost', cpu: { pids: () => childrenNamed(process.pid, 'haproxy'), self: true }, logged: haproxy.logged },
        { name: 'router-node', url: `http://127.0.0.1:${node.fx.port}/`, host: 'bench.localhost', cpu: { pids: () => [], self: true }, logged: node.logged },
      ];
      const targets = all.filter((t) => !ONLY || ['direct', 'nginx', ...ONLY].includes(t.name));
      const runs = new Map<string, WrkRun[]>();
      for (let round = 0; round < RUNS; round++) {
        for (const connections of CONNECTIONS) {
          for (let k = 0; k < targets.length; k++) {
            const t = targets[(k + round) % targets.length] as Target;
            const key = `${t.name}@${connections}`;
            runs.set(key, [...(runs.get(key) ?? []), await wrk(t, connections)]);
          }
        }
        console.error(`proxy-throughput: round ${round + 1}/${RUNS} done`);
      }
      const results: Result[] = [];
      for (const connections of CONNECTIONS) {
        const of = (name: string) => runs.get(`${name}@${connections}`) as WrkRun[];
        for (const t of targets) {
          // Lines are counted once over every run at both connection counts, so they go on the first row only.
          const logged = t.logged && connections === CONNECTIONS[0] ? await t.logged() : undefined;
          const row = summarize(t.name, connections, of(t.name), of('direct'), of('nginx'), logged);
          if (logged !== undefined) row.requests = CONNECTIONS.reduce((n, c) => n + (runs.get(`${t.name}@${c}`) as WrkRun[]).reduce((m, r) => m + r.requests, 0), 0);
          results.push(row);
        }
      }
      return results;
    } finally {
      await nginx.stop();
      await haproxy.cleanup();
      await node.cleanup();
      dyno.child.kill('SIGTERM');
    }
  },
};

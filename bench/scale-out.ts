/**
 * Scale-out benchmark (not a test; issue 17 point 6): seconds from
 * `PATCH formation web=10` (from web=1) until all ten dynos answered through
 * the router, and where the time and the CPU go. Per new dyno, the timeline
 * after the PATCH: the "Starting process" line, its first process (the exit-status
 * wrapper), the app's own node process, the app's "listening" line, "up",
 * and the first 200 through the router; and the CPU-seconds each part of a
 * start used (the server and what it waits for, the shells, the sandbox
 * programs, npm, the app's node). Wall times depend on the host's load;
 * CPU-seconds much less: both are printed with the load average.
 *
 * Several platforms run side by side and their runs interleave, so an A/B
 * between checkouts sees the same load. Environment:
 * - BENCH_RUNS: scale-outs per platform (default 5);
 * - BENCH_SANDBOX: `auto`, `off` or both comma-separated (default both);
 * - BENCH_TREES: comma-separated checkouts whose servers to compare (default
 *   this one; each needs its own `npm run build` and node_modules);
 * - BENCH_WEB: replaces node-hello's web command (e.g. `node server.js`).
 *
 * Run with `npm run bench:scale`; prints one JSON line per platform, then a table.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from '../src/shared/wait.js';
import { REPO_ROOT, startPlatform, type TestPlatform } from '../test/support/platform.js';
import { appWorkTree, writeNetrc } from '../test/support/push.js';
import { spreadOf } from './support/measurement.js';
import { loadAverage, procStat, processTree, type ProcStat } from './support/proc.js';
import { DEFAULT_POLL, dynoThroughRouter, firstAnswers } from './support/router-poll.js';

const APP = 'bench-scale';
const SCALE_TO = 10;
const TIMEOUT_MS = 2 * 60_000;
/** BENCH_POLL_PAUSE_MS=0 polls as fast as it can (the figures before round 3 were taken that way). */
const POLL = { ...DEFAULT_POLL, pauseMs: Number(process.env.BENCH_POLL_PAUSE_MS ?? DEFAULT_POLL.pauseMs) };
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MODES = (process.env.BENCH_SANDBOX ?? 'auto,off').split(',') as Array<'auto' | 'off'>;
const TREES = (process.env.BENCH_TREES ?? REPO_ROOT).split(',').map((t) => resolve(t));
const WEB = process.env.BENCH_WEB;

/** Milestones of one dyno's start, in ms after the PATCH. */
const MILESTONES = ['starting', 'spawned', 'node', 'listening', 'up', 'served'] as const;
type Milestone = (typeof MILESTONES)[number];
/** What each process of a dyno is, by its name (npm names itself `npm start`, `npm run ...`). */
const COMPONENTS = ['shells', 'sandbox', 'npm', 'node', 'other'] as const;
/** `server`: the server process itself; `server children`: the programs it ran and waited for (cp, ip, ...). */
type Component = (typeof COMPONENTS)[number] | 'server' | 'server children';

const componentOf = (comm: string): (typeof COMPONENTS)[number] =>
  comm === 'bash' || comm === 'sh' ? 'shells' : comm === 'bwrap' || comm === 'setpriv' ? 'sandbox' : comm.startsWith('npm') ? 'npm' : comm === 'node' ? 'node' : 'other';

interface Platform {
  label: string;
  p: TestPlatform;
}

/** The app's log lines as they arrive (a live tail), until `stop`; router lines are left out. */
async function tailLogs(p: TestPlatform): Promise<{ lines: string[]; stop(): void }> {
  const s = await p.api('POST', `/apps/${APP}/log-sessions`, { tail: true, lines: 0 });
  const abort = new AbortController();
  const res = await fetch(s.body.logplex_url as string, { signal: abort.signal });
  const lines: string[] = [];
  let partial = '';
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const all = (partial + decoder.decode(chunk, { stream: true })).split('\n');
        partial = all.pop() ?? '';
        lines.push(...all.filter((l) => !l.includes(' heroku[router]: ')));
      }
    } catch {
      // Aborted by stop().
    }
  })();
  return { lines, stop: () => abort.abort() };
}

const LINE = /^(\S+) (\w+)\[([^\]]+)\]: (.*)$/;

/** Milestones found in log lines, per dyno name. */
function logMilestones(lines: readonly string[], since: number): Map<string, Partial<Record<Milestone, number>>> {
  const found = new Map<string, Partial<Record<Milestone, number>>>();
  for (const l of lines) {
    const m = LINE.exec(l);
    if (!m) continue;
    const [, stamp, source, dyno, message] = m as unknown as [string, string, string, string, string];
    const at = Date.parse(stamp);
    if (at < since) continue;
    const which: Milestone | null =
      source === 'heroku' && message.startsWith('Starting process') ? 'starting'
        : source === 'app' && /listening/i.test(message) ? 'listening'
          : source === 'heroku' && message === 'State changed from starting to up' ? 'up' : null;
    if (!which) continue;
    const entry = found.get(dyno) ?? {};
    entry[which] ??= at;
    found.set(dyno, entry);
  }
  return found;
}

/** Each running dyno's process tree, by dyno name (from the records in `$CUPAAS_HOME/dynos`). */
function dynoTrees(p: TestPlatform): Map<string, ProcStat[]> {
  const trees = new Map<string, ProcStat[]>();
  const dir = join(p.home, 'dynos');
  for (const id of readdirSync(dir)) {
    try {
      const record = JSON.parse(readFileSync(join(dir, id, 'dyno.json'), 'utf8')) as { pid: number; spec: { name: string } };
      trees.set(record.spec.name, processTree(record.pid));
    } catch {
      // No record yet, or the dyno is gone.
    }
  }
  return trees;
}

interface RunResult {
  seconds: number;
  load: number[];
  /** Per milestone, the median and the latest over the new dynos, ms after the PATCH. */
  timeline: Record<Milestone, { median: number; max: number }>;
  /** CPU ms per new dyno by component. */
  cpuMsPerDyno: Record<Component, number>;
  /** Requests the pollers made until every dyno had answered. */
  requests: number;
}

const serverPid = (p: TestPlatform) => (JSON.parse(readFileSync(join(p.home, 'server.json'), 'utf8')) as { pid: number }).pid;
const serverCpu = (pid: number) => {
  const s = procStat(pid);
  return { own: s?.cpuMs ?? 0, children: s?.reapedCpuMs ?? 0 };
};

async function scaleWeb(p: TestPlatform, quantity: number): Promise<void> {
  const r = await p.api('PATCH', `/apps/${APP}/formation/web`, { quantity });
  if (r.status !== 200) throw new Error(`scaling failed: ${r.status} ${JSON.stringify(r.body)}`);
}

async function untilDynos(p: TestPlatform, n: number): Promise<void> {
  await waitFor(async () => {
    const dynos = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ state: string }>;
    return dynos.length === n && dynos.every((d) => d.state === 'up');
  }, { timeoutMs: TIMEOUT_MS, intervalMs: 100, what: `${n} dynos up` });
}

/** One scale-out web=1→10 and back; the figures of the new dynos. */
async function scaleOut(p: TestPlatform): Promise<RunResult> {
  const load = loadAverage();
  const pid = serverPid(p);
  const tail = await tailLogs(p);
  const cpuBefore = serverCpu(pid);
  const t0 = Date.now();
  await scaleWeb(p, SCALE_TO);
  const { firstAt: served, requests } = await firstAnswers(p.routerUrl as string, APP, SCALE_TO, POLL);
  const seconds = (Date.now() - t0) / 1000;
  const cpuAfter = serverCpu(pid);
  const trees = dynoTrees(p);
  const names = [...served.keys()].filter((n) => n !== 'web.1');
  // The server reads dyno output every 100 ms: wait for every new dyno's lines, not for a fixed time.
  const logged = () => {
    const found = logMilestones(tail.lines, t0);
    return names.every((n) => ['starting', 'listening', 'up'].every((m) => found.get(n)?.[m as Milestone] !== undefined));
  };
  await waitFor(logged, { timeoutMs: 10_000, intervalMs: 50, what: 'the new dynos\' log lines' })
    .catch((e: Error) => console.error(`timeline incomplete (an app that prints no "listening" line?): ${e.message}`));
  tail.stop();
  const fromLogs = logMilestones(tail.lines, t0);
  const perDyno = names.map((name) => {
    const tree = trees.get(name) ?? [];
    const leader = tree[0];
    const nodes = tree.filter((s) => s.comm === 'node');
    return {
      ...fromLogs.get(name), served: served.get(name), spawned: leader?.startedMs, node: nodes.at(-1)?.startedMs,
      cpu: tree.reduce<Record<string, number>>((acc, s) => ((acc[componentOf(s.comm)] = (acc[componentOf(s.comm)] ?? 0) + s.cpuMs + s.reapedCpuMs), acc), {}),
    };
  });
  const timeline = Object.fromEntries(MILESTONES.map((m) => {
    const xs = perDyno.map((d) => d[m]).filter((x): x is number => x !== undefined).map((x) => x - t0);
    return [m, { median: spreadOf(xs).median, max: Math.max(...xs) }];
  })) as RunResult['timeline'];
  const cpuMsPerDyno = Object.fromEntries([
    ['server', Math.round((cpuAfter.own - cpuBefore.own) / names.length)],
    ['server children', Math.round((cpuAfter.children - cpuBefore.children) / names.length)],
    ...COMPONENTS.map((c) => [c, Math.round(perDyno.reduce((s, d) => s + (d.cpu[c] ?? 0), 0) / names.length)]),
  ]) as RunResult['cpuMsPerDyno'];
  await scaleWeb(p, 1);
  await untilDynos(p, 1);
  return { seconds, load, timeline, cpuMsPerDyno, requests };
}

async function deploy(p: TestPlatform): Promise<void> {
  writeNetrc(p);
  const created = await p.api('POST', '/apps', { name: APP });
  if (created.status !== 201) throw new Error(`creating the app failed: ${JSON.stringify(created.body)}`);
  const tree = await appWorkTree(p, APP, 'node-hello');
  await tree.commit('bench: scale-out', WEB ? { Procfile: `web: ${WEB}\n` } : {});
  const push = await tree.push();
  if (push.code !== 0) throw new Error(`push failed:\n${push.output}`);
  await waitFor(async () => (await dynoThroughRouter(p.routerUrl as string, APP)) === 'web.1', { timeoutMs: 10 * 60_000, intervalMs: 100, what: 'web.1 serving' });
}

const platforms: Platform[] = [];
const results = new Map<string, RunResult[]>();
try {
  for (const tree of TREES) {
    for (const mode of MODES) {
      const label = `${tree === REPO_ROOT ? 'this tree' : tree} sandbox=${mode}`;
      const p = await startPlatform({ env: { CUPAAS_SANDBOX: mode }, asInstalled: true, repoRoot: tree });
      platforms.push({ label, p });
      await deploy(p);
      results.set(label, []);
    }
  }
  for (let run = 0; run < RUNS; run++) {
    // Rotate the start so no platform always goes first.
    for (let i = 0; i < platforms.length; i++) {
      const { label, p } = platforms[(run + i) % platforms.length] as Platform;
      const r = await scaleOut(p);
      results.get(label)?.push(r);
      console.error(`${label} run ${run + 1}: ${r.seconds.toFixed(2)} s (load ${r.load.join(' ')})`);
    }
  }
} finally {
  for (const { p } of platforms) await p.cleanup();
}

const summary = [...results].map(([label, runs]) => ({
  label,
  web: WEB ?? 'Procfile',
  runs: runs.length,
  seconds: spreadOf(runs.map((r) => r.seconds)),
  load: runs.map((r) => r.load[0]),
  timelineMedianMs: Object.fromEntries(MILESTONES.map((m) => [m, spreadOf(runs.map((r) => r.timeline[m].median)).median])),
  timelineLastMs: Object.fromEntries(MILESTONES.map((m) => [m, spreadOf(runs.map((r) => r.timeline[m].max)).median])),
  requests: spreadOf(runs.map((r) => r.requests)).median,
  pollPauseMs: POLL.pauseMs,
  cpuMsPerDyno: Object.fromEntries((['server', 'server children', ...COMPONENTS] as const).map((c) => [c, spreadOf(runs.map((r) => r.cpuMsPerDyno[c])).median])),
}));
const out = process.env.BENCH_OUT;
if (out) writeFileSync(out, JSON.stringify(summary, null, 2));
for (const s of summary) console.log(JSON.stringify(s));
for (const s of summary) {
  console.log(`${s.label}: web=1→${SCALE_TO} serving ${s.seconds.median} s (min ${s.seconds.min}, max ${s.seconds.max}; load ${s.load.join(' ')}; ${s.requests} requests)`);
  console.log(`  median dyno, ms after PATCH: ${MILESTONES.map((m) => `${m} ${s.timelineMedianMs[m]}`).join(', ')}`);
  console.log(`  last dyno, ms after PATCH:   ${MILESTONES.map((m) => `${m} ${s.timelineLastMs[m]}`).join(', ')}`);
  console.log(`  CPU ms per dyno start: ${Object.entries(s.cpuMsPerDyno).map(([c, v]) => `${c} ${v}`).join(', ')}`);
}

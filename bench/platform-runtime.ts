/**
 * Runtime measurements of a real `cupaas server` (issue 4): seconds from
 * `ps:scale web=1` to web=10 with all ten dynos answering through the router,
 * and resident memory of the server process and of the dynos, idle at web=1
 * and at web=10, then the server's with ten more apps of two web dynos each
 * (issue 17's "10 apps / 20 dynos"). The server's figures are taken once its RSS settled (idle: V8
 * collects the garbage of the work just done within seconds of the server going quiet); "right after
 * the deploy" is the unsettled figure earlier rounds reported. One platform per sandbox mode: node-hello is pushed once and
 * both measurements use it. The server runs compiled and bundled (as `npm run build` does),
 * started by bin/cupaas.js as users start it. The per-dyno start cost of the sandbox itself is
 * `npm run bench:sandbox`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../src/shared/process.js';
import { delay, waitFor } from '../src/shared/wait.js';
import { REPO_ROOT, startPlatform, type TestPlatform } from '../test/support/platform.js';
import { appWorkTree, writeNetrc } from '../test/support/push.js';
import type { Measurement, Result } from './support/measurement.js';
import { groupPids, pssKb, rssKb } from './support/proc.js';
import { DEFAULT_POLL, dynoThroughRouter, firstAnswers } from './support/router-poll.js';

const APP = 'bench-scale';
const SCALE_TO = 10;
const DEPLOY_TIMEOUT_MS = 10 * 60_000;
const SCALE_TIMEOUT_MS = 2 * 60_000;

/** Seconds from `since` (Date.now()) until `want` distinct dynos answered through the router. */
async function untilDynosAnswer(p: TestPlatform, want: number, since: number): Promise<number> {
  await firstAnswers(p.routerUrl as string, APP, want, { ...DEFAULT_POLL, timeoutMs: SCALE_TIMEOUT_MS });
  return (Date.now() - since) / 1000;
}

interface PlatformMemory {
  /** VmRSS of the server process. */
  serverMb: number;
  /** VmRSS summed over every process of every dyno; shared pages (the node binary) count once per process. */
  dynosRssMb: number;
  /** PSS summed the same way: what the dynos together really hold. */
  dynosPssMb: number;
  dynoCount: number;
}

const mb = (kb: number) => Math.round(kb / 102.4) / 10;

const serverPid = (p: TestPlatform): number => (JSON.parse(readFileSync(join(p.home, 'server.json'), 'utf8')) as { pid: number }).pid;

/**
 * Sampling of the server's RSS while it settles: within SETTLED_KB over SETTLED_WINDOW samples (30 s).
 * Idle, it still moves in a ~1 MB sawtooth (the young generation filling and being collected), and
 * V8's memory reducer gives back a finished deploy's garbage some 10 s after it, in one step.
 */
const SETTLE_INTERVAL_MS = 500;
const SETTLED_WINDOW = 60;
const SETTLED_KB = 1536;
const SETTLE_TIMEOUT_MS = 3 * 60_000;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * The server's RSS (KB) at idle: the median of the first 30 s window in which it stayed within
 * SETTLED_KB (or of the last window, if it never did within SETTLE_TIMEOUT_MS): what it holds, not
 * the garbage of the work just done.
 */
async function settledServerKb(p: TestPlatform): Promise<number> {
  const pid = serverPid(p);
  const samples: number[] = [];
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    samples.push(rssKb(pid));
    const last = samples.slice(-SETTLED_WINDOW);
    const settled = last.length === SETTLED_WINDOW && Math.max(...last) - Math.min(...last) < SETTLED_KB;
    if (settled || performance.now() > deadline) return median(last);
    await delay(SETTLE_INTERVAL_MS);
  }
}

/** Memory of the server process (settled) and of each dyno's process group (the pid in its dyno.json leads the group). */
async function platformMemory(p: TestPlatform): Promise<PlatformMemory> {
  const serverKb = await settledServerKb(p);
  const dynosDir = join(p.home, 'dynos');
  let rss = 0;
  let pss = 0;
  let dynoCount = 0;
  for (const id of readdirSync(dynosDir)) {
    let pid: number;
    try {
      pid = (JSON.parse(readFileSync(join(dynosDir, id, 'dyno.json'), 'utf8')) as { pid: number }).pid;
    } catch {
      continue; // A dyno without a record yet (starting) or already gone.
    }
    const pids = groupPids(pid);
    rss += pids.reduce((kb, x) => kb + rssKb(x), 0);
    pss += pids.reduce((kb, x) => kb + pssKb(x), 0);
    dynoCount++;
  }
  return { serverMb: mb(serverKb), dynosRssMb: mb(rss), dynosPssMb: mb(pss), dynoCount };
}

function memoryResults(label: string, target: string, m: PlatformMemory): Result[] {
  return [
    { measurement: `server rss, ${label}`, target, value: m.serverMb, unit: 'MB' },
    { measurement: `dynos rss, ${label} (${m.dynoCount})`, target, value: m.dynosRssMb, unit: 'MB' },
    { measurement: `dynos pss, ${label} (${m.dynoCount})`, target, value: m.dynosPssMb, unit: 'MB' },
  ];
}

async function deployNodeHello(p: TestPlatform): Promise<void> {
  writeNetrc(p);
  const created = await p.api('POST', '/apps', { name: APP });
  if (created.status !== 201) throw new Error(`creating the app failed: ${JSON.stringify(created.body)}`);
  const tree = await appWorkTree(p, APP, 'node-hello');
  await tree.commit('bench: scale');
  const push = await tree.push();
  if (push.code !== 0) throw new Error(`push failed:\n${push.output}`);
  await waitFor(async () => (await dynoThroughRouter(p.routerUrl as string, APP)) === 'web.1', {
    timeoutMs: DEPLOY_TIMEOUT_MS, intervalMs: 100, what: 'web.1 answering through the router',
  });
}

async function scaleWeb(p: TestPlatform, quantity: number): Promise<void> {
  const r = await p.api('PATCH', `/apps/${APP}/formation/web`, { quantity });
  if (r.status !== 200) throw new Error(`scaling failed: ${r.status} ${JSON.stringify(r.body)}`);
}

/** Scales to zero and waits for the dynos to be gone, so nothing outlives the bench. */
async function stopDynos(p: TestPlatform): Promise<void> {
  await scaleWeb(p, 0);
  await waitFor(async () => ((await p.api('GET', `/apps/${APP}/dynos`)).body as unknown[]).length === 0, {
    timeoutMs: SCALE_TIMEOUT_MS, intervalMs: 100, what: 'dynos to stop',
  });
}

/** Apps and web dynos each of the many-apps measurement (issue 17: 10 apps / 20 dynos). */
const MANY_APPS = 10;
const DYNOS_PER_APP = 2;
/** A dependency-free web app for the generic buildpack: the many-apps figure is about the server, not builds. */
const TINY_APP = {
  Procfile: 'web: node server.js\n',
  'server.js': "require('node:http').createServer((q, r) => r.end('ok')).listen(process.env.PORT);\n",
};

/** Server memory with MANY_APPS apps of DYNOS_PER_APP web dynos each, all up; then scales them to zero. */
async function manyAppsMemory(p: TestPlatform): Promise<number> {
  const names = Array.from({ length: MANY_APPS }, (_, i) => `bench-many-${i + 1}`);
  for (const name of names) {
    const created = await p.api('POST', '/apps', { name });
    if (created.status !== 201) throw new Error(`creating ${name} failed: ${JSON.stringify(created.body)}`);
    const tree = await appWorkTree(p, name);
    await tree.commit('bench: many apps', TINY_APP);
    const push = await tree.push();
    if (push.code !== 0) throw new Error(`push to ${name} failed:\n${push.output}`);
    const r = await p.api('PATCH', `/apps/${name}/formation/web`, { quantity: DYNOS_PER_APP });
    if (r.status !== 200) throw new Error(`scaling ${name} failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const upIn = async (name: string) => ((await p.api('GET', `/apps/${name}/dynos`)).body as Array<{ state: string }>).filter((d) => d.state === 'up').length;
  await waitFor(async () => (await Promise.all(names.map(upIn))).every((n) => n === DYNOS_PER_APP), {
    timeoutMs: DEPLOY_TIMEOUT_MS, intervalMs: 250, what: `${MANY_APPS * DYNOS_PER_APP} dynos up`,
  });
  const serverMb = mb(await settledServerKb(p));
  for (const name of names) await p.api('PATCH', `/apps/${name}/formation/web`, { quantity: 0 });
  return serverMb;
}

/** Both measurements on one platform started with `CUPAAS_SANDBOX=<mode>`. */
async function runtimeResults(mode: 'auto' | 'off'): Promise<Result[]> {
  // The server as users run it (bin/cupaas.js, compiled), so its memory is not the tsx loader's.
  const p = await startPlatform({ env: { CUPAAS_SANDBOX: mode }, asInstalled: true });
  const target = `sandbox=${mode}`;
  try {
    await deployNodeHello(p);
    const afterDeployMb = mb(rssKb(serverPid(p)));
    const idle = await platformMemory(p);
    const started = Date.now();
    await scaleWeb(p, SCALE_TO);
    const seconds = await untilDynosAnswer(p, SCALE_TO, started);
    const busy = await platformMemory(p);
    await stopDynos(p);
    const many = await manyAppsMemory(p);
    return [
      { measurement: `scale web=1→${SCALE_TO} serving`, target, value: +seconds.toFixed(2), unit: 's' },
      { measurement: 'server rss, web=1 right after the deploy', target, value: afterDeployMb, unit: 'MB' },
      ...memoryResults('idle web=1', target, idle),
      ...memoryResults(`web=${SCALE_TO}`, target, busy),
      { measurement: `server rss, ${MANY_APPS + 1} apps / ${MANY_APPS * DYNOS_PER_APP} dynos`, target, value: many, unit: 'MB' },
    ];
  } finally {
    // Stopping the server also stops any dyno left after a failure; cleanup removes the temp homes.
    await p.cleanup();
  }
}

/** Sandboxed (the default) and plain dynos. */
export const platformRuntime: Measurement = {
  name: 'platform-runtime',
  async run() {
    await runChecked(['npx', 'tsc', '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, timeout: 10 * 60_000 });
    // `cupaas server` runs the bundle (scripts/bundle-server.mjs), not the modules tsc wrote.
    await runChecked([process.execPath, 'scripts/bundle-server.mjs'], { cwd: REPO_ROOT, timeout: 10 * 60_000 });
    const results: Result[] = [];
    for (const mode of ['auto', 'off'] as const) results.push(...(await runtimeResults(mode)));
    return results;
  },
};

/**
 * Deploy benchmark (not a test): seconds from `git push` to the release being
 * recorded for examples/node-hello, cold (empty build cache) and warm (a
 * code-only change, so node_modules comes from the cache), and for the warm
 * ones also until the router serves the new code (push-to-serving), with
 * when each pipeline step, the release, the new dyno's start and "up"
 * happened after the push (BENCH_RUNS warm redeploys, default 3; medians).
 * Prints JSON, then one line of text. Run with `npm run bench:deploy`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../test/support/platform.js';
import { appWorkTree, writeNetrc, type AppWorkTree } from '../test/support/push.js';
import { servedBody } from './support/router-poll.js';

const APP = 'bench-node';

async function timedPush(p: TestPlatform, tree: AppWorkTree, version: number): Promise<number> {
  const started = performance.now();
  const push = tree.push();
  const recorded = waitFor(
    async () => {
      const r = await p.api('GET', `/apps/${APP}/releases/${version}`);
      return r.status === 200 && performance.now();
    },
    { timeoutMs: 10 * 60_000, intervalMs: 25, what: `release v${version}` },
  );
  const result = await push;
  if (result.code !== 0) throw new Error(`push failed:\n${result.output}`);
  return ((await recorded) - started) / 1000;
}

/** Seconds from `since` until the router serves a body containing `marker`. */
async function servingAfter(p: TestPlatform, marker: string, since: number): Promise<number> {
  const at = await waitFor(async () => (await servedBody(p.routerUrl as string, APP))?.includes(marker) && performance.now(), {
    timeoutMs: 10 * 60_000, intervalMs: 10, what: `"${marker}" served through the router`,
  });
  return (at - since) / 1000;
}

/** Warm redeploys to time (each a code-only change); BENCH_RUNS overrides. */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

/** When each pipeline step started, from the server's debug lines (`deploy step ... step=NAME`), in ms after `since`. */
function stepStarts(p: TestPlatform, since: number): Record<string, number> {
  const steps: Record<string, number> = {};
  for (const line of p.output().split('\n')) {
    // The logger quotes values with spaces (step="pack slug").
    const m = /^(\S+) DEBUG deploy step .*\bstep=(?:"([^"]+)"|(\S+))/.exec(line);
    const at = m ? Date.parse(m[1] as string) : NaN;
    if (m && at >= since) steps[(m[2] ?? m[3]) as string] ??= at - since;
  }
  return steps;
}

/** When the new release's web dyno got "Starting process" and "up", in ms after `since` (from the app's log). */
async function dynoMilestones(p: TestPlatform, since: number): Promise<Record<string, number>> {
  const s = await p.api('POST', `/apps/${APP}/log-sessions`, { lines: 1500, source: 'heroku', dyno: 'web.1' });
  const found: Record<string, number> = {};
  for (const line of (await (await fetch(s.body.logplex_url as string)).text()).split('\n')) {
    const at = Date.parse(line.split(' ')[0] ?? '');
    if (!(at >= since)) continue;
    if (line.includes('Starting process')) found.starting ??= at - since;
    if (line.endsWith('State changed from starting to up')) found.up ??= at - since;
  }
  return found;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const p = await startPlatform();
try {
  writeNetrc(p);
  const created = await p.api('POST', '/apps', { name: APP });
  if (created.status !== 201) throw new Error(`creating the app failed: ${JSON.stringify(created.body)}`);
  const tree = await appWorkTree(p, APP, 'node-hello');
  await tree.commit('bench: cold');
  const cold = await timedPush(p, tree, 2);
  await servingAfter(p, 'Hello from node-hello', performance.now());
  const warm: Array<{ release: number; serving: number; load: string; timelineMs: Record<string, number> }> = [];
  for (let i = 1; i <= RUNS; i++) {
    // A code-only change the router can tell apart: the greeting changes, node_modules comes from the cache.
    const greeting = `Hello again (${i}) from node-hello`;
    const server = readFileSync(join(tree.dir, 'server.js'), 'utf8').replace(/Hello (again \(\d+\) )?from node-hello/, greeting);
    await tree.commit(`bench: code-only change ${i}`, { 'server.js': server });
    const load = loadavg();
    const wall = Date.now();
    const pushed = performance.now();
    const [release, serving] = await Promise.all([timedPush(p, tree, 2 + i), servingAfter(p, greeting, pushed)]);
    const timelineMs = { ...stepStarts(p, wall), released: Math.round(release * 1000), ...(await dynoMilestones(p, wall)), served: Math.round(serving * 1000) };
    warm.push({ release, serving, load, timelineMs });
    console.error(`warm ${i}: push-to-release ${release.toFixed(2)} s, push-to-serving ${serving.toFixed(2)} s (load ${load}) ${JSON.stringify(timelineMs)}`);
  }
  const result = {
    example: 'node-hello', cold_push_to_release_s: +cold.toFixed(2), runs: RUNS,
    warm_push_to_release_s: +median(warm.map((w) => w.release)).toFixed(2),
    warm_push_to_serving_s: +median(warm.map((w) => w.serving)).toFixed(2),
    warm: warm.map((w) => ({ ...w, release: +w.release.toFixed(2), serving: +w.serving.toFixed(2) })),
  };
  console.log(JSON.stringify(result));
  console.log(
    `node-hello push-to-release: cold ${result.cold_push_to_release_s}s, warm ${result.warm_push_to_release_s}s; ` +
      `warm push-to-serving ${result.warm_push_to_serving_s}s (medians of ${RUNS})`,
  );
} finally {
  await p.cleanup();
}

/**
 * The swarm runtime on a 3-node swarm-lab, measured (not a test): seconds from
 * `ps:scale web=1→10` to ten web dynos up and answering through the router,
 * and from a node crash (`swarm-lab stop-node`) to ten web dynos up again on
 * the other nodes. Medians of RUNS runs. Prints JSON, then one line per
 * figure. Needs root, the Docker engine with the stack image, and no lab up.
 * Run with `npm run bench:swarm`.
 */
import { get } from 'node:http';
import Docker from 'dockerode';
import { STACK_TAG } from '../src/images/index.js';
import { freePort } from '../src/shared/net.js';
import { waitFor } from '../src/shared/wait.js';
import { DOCKER_SOCKET } from '../test/support/engine.js';
import { startPlatform, type TestPlatform } from '../test/support/platform.js';
import { appWorkTree, writeNetrc } from '../test/support/push.js';
import { labUp, swarmLabSkip, type SwarmLab } from '../test/support/swarm-lab.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const APP = 'bench-swarm';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = (ms: number) => Math.round(ms / 100) / 10;

interface Dyno { name: string; state: string; node: string | null; type: string }

function dynoVia(routerUrl: string): Promise<string | null> {
  return new Promise((resolve) => {
    get(routerUrl, { headers: { Host: `${APP}.localhost` }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? (/dyno=(\S+)/.exec(body)?.[1] ?? null) : null));
    }).on('error', () => resolve(null));
  });
}

async function main() {
  const skip = swarmLabSkip();
  if (skip) throw new Error(skip);
  let lab: SwarmLab | null = null;
  let p: TestPlatform | null = null;
  try {
    lab = await labUp(3);
    const manager = new Docker({ socketPath: lab.socketPath });
    await manager.loadImage((await new Docker({ socketPath: DOCKER_SOCKET }).getImage(STACK_TAG).get()) as never);
    p = await startPlatform({
      args: ['--runtime', 'swarm', '--router-port', String(await freePort('127.0.0.1'))],
      env: { CUPAAS_SWARM_HOST: lab.dockerHost, CUPAAS_DOCKER_SOCKET: lab.socketPath, CUPAAS_REGISTRY_URL: lab.registry, CUPAAS_BOOT_TIMEOUT: '180' },
    });
    writeNetrc(p);
    const platform = p;
    await platform.api('POST', '/apps', { name: APP });
    const tree = await appWorkTree(platform, APP, 'node-hello');
    await tree.commit('bench');
    const push = await tree.push();
    if (push.code !== 0) throw new Error(push.output);

    const scale = (n: number) => platform.api('PATCH', `/apps/${APP}/formation/web`, { quantity: n });
    const webUp = (n: number, pred: (ds: Dyno[]) => boolean = () => true) =>
      waitFor(async () => {
        const ds = ((await platform.api('GET', `/apps/${APP}/dynos`)).body as Dyno[]).filter((d) => d.type === 'web');
        return ds.length === n && ds.every((d) => d.state === 'up') && pred(ds) ? ds : undefined;
      }, { timeoutMs: 600_000, intervalMs: 200, what: `${n} web dynos up` });
    /** Ten dynos up and each one has answered through the router. */
    const allServing = async (n: number, pred?: (ds: Dyno[]) => boolean) => {
      const ds = await webUp(n, pred);
      const seen = new Set<string>();
      await waitFor(async () => {
        const d = await dynoVia(platform.routerUrl!);
        if (d) seen.add(d);
        return ds.every((x) => seen.has(x.name)) || undefined;
      }, { timeoutMs: 120_000, intervalMs: 5, what: 'every dyno answering' });
    };
    await allServing(1);

    const scaleMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = Date.now();
      await scale(10);
      await allServing(10);
      scaleMs.push(Date.now() - t0);
      await scale(1);
      await webUp(1);
    }

    await scale(10);
    await allServing(10);
    const failureMs: number[] = [];
    const victims = ['2', '3', '2'].slice(0, RUNS);
    for (const n of victims) {
      const t0 = Date.now();
      await lab.lab('stop-node', n);
      await allServing(10, (ds) => ds.every((d) => d.node !== `swarm-n${n}`));
      failureMs.push(Date.now() - t0);
      await lab.lab('start-node', n);
      await waitFor(async () => ((await platform.api('GET', '/nodes')).body as Array<{ state: string }>).every((x) => x.state === 'ready') || undefined, {
        timeoutMs: 120_000, intervalMs: 500, what: 'the node back',
      });
    }
    const result = {
      nodes: 3,
      runs: RUNS,
      scale_1_to_10_s: seconds(median(scaleMs)),
      scale_1_to_10_runs_s: scaleMs.map(seconds),
      node_failure_to_full_capacity_s: seconds(median(failureMs)),
      node_failure_runs_s: failureMs.map(seconds),
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`ps:scale web=1→10, all serving through the router: ${result.scale_1_to_10_s} s (median of ${RUNS})`);
    console.log(`node crash → 10 web dynos serving on the other nodes: ${result.node_failure_to_full_capacity_s} s (median of ${failureMs.length})`);
  } finally {
    await p?.cleanup().catch(() => undefined);
    await lab?.down();
  }
}

await main();

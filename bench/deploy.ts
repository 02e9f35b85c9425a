/**
 * Deploy benchmark (not a test): seconds from `git push` to the release being
 * recorded for examples/node-hello, cold (empty build cache) and warm (a
 * code-only change, so node_modules comes from the cache), and for the warm
 * one also until the router serves the new code (push-to-serving). Prints
 * JSON, then one line of text. Run with `npm run bench:deploy`.
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

const p = await startPlatform();
try {
  writeNetrc(p);
  const created = await p.api('POST', '/apps', { name: APP });
  if (created.status !== 201) throw new Error(`creating the app failed: ${JSON.stringify(created.body)}`);
  const tree = await appWorkTree(p, APP, 'node-hello');
  await tree.commit('bench: cold');
  const cold = await timedPush(p, tree, 2);
  await servingAfter(p, 'Hello from node-hello', performance.now());
  // A code-only change the router can tell apart: the greeting changes, node_modules comes from the cache.
  const server = readFileSync(join(tree.dir, 'server.js'), 'utf8').replace('Hello from node-hello', 'Hello again from node-hello');
  await tree.commit('bench: code-only change', { 'server.js': server });
  const pushed = performance.now();
  const [warm, serving] = await Promise.all([timedPush(p, tree, 3), servingAfter(p, 'Hello again from node-hello', pushed)]);
  const result = {
    example: 'node-hello', cold_push_to_release_s: +cold.toFixed(2), warm_push_to_release_s: +warm.toFixed(2),
    warm_push_to_serving_s: +serving.toFixed(2),
  };
  console.log(JSON.stringify(result));
  console.log(
    `node-hello push-to-release: cold ${result.cold_push_to_release_s}s, warm ${result.warm_push_to_release_s}s; ` +
      `warm push-to-serving ${result.warm_push_to_serving_s}s`,
  );
} finally {
  await p.cleanup();
}

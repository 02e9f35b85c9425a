/**
 * Deploy benchmark (not a test): seconds from `git push` to the release being
 * recorded for examples/node-hello, cold (empty build cache) and warm (a
 * code-only change, so node_modules comes from the cache). Prints JSON, then
 * one line of text. Run with `npm run bench:deploy`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../test/support/platform.js';
import { appWorkTree, writeNetrc, type AppWorkTree } from '../test/support/push.js';

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

const p = await startPlatform();
try {
  writeNetrc(p);
  const created = await p.api('POST', '/apps', { name: APP });
  if (created.status !== 201) throw new Error(`creating the app failed: ${JSON.stringify(created.body)}`);
  const tree = await appWorkTree(p, APP, 'node-hello');
  await tree.commit('bench: cold');
  const cold = await timedPush(p, tree, 2);
  const server = readFileSync(join(tree.dir, 'server.js'), 'utf8');
  await tree.commit('bench: code-only change', { 'server.js': `${server}\n// warm deploy\n` });
  const warm = await timedPush(p, tree, 3);
  const result = { example: 'node-hello', cold_push_to_release_s: +cold.toFixed(2), warm_push_to_release_s: +warm.toFixed(2) };
  console.log(JSON.stringify(result));
  console.log(`node-hello push-to-release: cold ${result.cold_push_to_release_s}s, warm ${result.warm_push_to_release_s}s`);
} finally {
  await p.cleanup();
}

/**
 * The kubernetes runtime end to end on a real cluster: `git push` of a
 * buildpack app becomes a release image in a registry the cluster pulls from
 * and a rollout; the release succeeds from the rollout status; scale adds
 * pods; a config change rolls to a new release; a rollback rolls back; a
 * restart of the control plane restarts no pod. Runs only when KUBECONFIG
 * names a reachable cluster and CUPAAS_REGISTRY_URL a registry both this
 * host pushes to and the cluster's nodes pull from (an insecure registry, or
 * CUPAAS_KUBERNETES_PULL_SECRET + credentials). Otherwise skipped with that
 * reason: no fake API server stands in for a cluster.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { kubernetesConfig } from '../../src/config/index.js';
import { errorMessage } from '../../src/shared/errors.js';
import { waitFor } from '../../src/shared/wait.js';
import { inspectCluster, loadKubeConfig } from '../../src/runtime/kubernetes/index.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

async function whyNot(): Promise<string | false> {
  if (!process.env.KUBECONFIG) return 'no Kubernetes API server reachable (KUBECONFIG unset)';
  if (!process.env.CUPAAS_REGISTRY_URL) return 'CUPAAS_REGISTRY_URL is not set (a registry this host pushes to and the cluster pulls from)';
  try {
    await inspectCluster(loadKubeConfig(process.env.KUBECONFIG, { inCluster: false })!, 'cupaas-');
    return false;
  } catch (e) {
    return `KUBECONFIG names no reachable Kubernetes API server: ${errorMessage(e)}`;
  }
}

const skip = await whyNot();
const APP = `k8s-e2e-${Date.now().toString(36)}`;

describe('kubernetes runtime: push, scale, config, rollback, control-plane restart', { skip }, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startPlatform({ args: ['--runtime', 'kubernetes'] });
    writeNetrc(p);
    assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
  });
  after(async () => {
    await p?.api('DELETE', `/apps/${APP}`).catch(() => undefined);
    const kc = loadKubeConfig(process.env.KUBECONFIG ?? null, { inCluster: false });
    const namespace = `${kubernetesConfig(process.env).namespacePrefix}${APP}`;
    await kc?.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => undefined);
    await p?.cleanup();
  });

  const WAIT = { timeoutMs: 600_000, intervalMs: 2000 };
  const release = (v: number) =>
    waitFor(async () => {
      const r = (await p.api('GET', `/apps/${APP}/releases`)).body as Array<{ version: number; status: string }>;
      const s = r.find((x) => x.version === v)?.status;
      return s === 'succeeded' || s === 'failed' ? s : undefined;
    }, { ...WAIT, what: `v${v} decided` });
  const webUp = (n: number, v: number) =>
    waitFor(async () => {
      const dynos = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ type: string; state: string; name: string; release: { version: number } }>;
      const up = dynos.filter((d) => d.type === 'web' && d.state === 'up' && d.release.version === v);
      return up.length === n && dynos.filter((d) => d.type === 'web').length === n ? up.map((d) => d.name).sort() : undefined;
    }, { ...WAIT, what: `${n} web dynos of v${v} up` });
  const latest = async () => ((await p.api('GET', `/apps/${APP}/releases`)).body as Array<{ version: number }>).at(-1)!.version;

  test('push → release succeeds from the rollout; scale; config; rollback; restart adopts', async () => {
    const tree = await appWorkTree(p, APP, 'node-hello');
    await tree.commit('first');
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    const v1 = await latest();
    assert.equal(await release(v1), 'succeeded');
    await webUp(1, v1);

    assert.equal((await p.api('PATCH', `/apps/${APP}/formation/web`, { quantity: 2 })).status, 200);
    await webUp(2, v1);

    assert.equal((await p.api('PATCH', `/apps/${APP}/config-vars`, { GREETING: 'v2' })).status, 200);
    const v2 = await latest();
    assert.equal(await release(v2), 'succeeded');
    await webUp(2, v2);

    const rolled = await p.api('POST', `/apps/${APP}/releases`, { release: String(v1) });
    assert.equal(rolled.status, 201, JSON.stringify(rolled.body));
    const v3 = await latest();
    assert.equal(await release(v3), 'succeeded');
    const before = await webUp(2, v3);

    await p.stop();
    p = await p.restart();
    assert.deepEqual(await webUp(2, v3), before, 'the same pods after a control-plane restart');
  });
});

/**
 * The cluster client against a real Kubernetes API server: apply, idempotent
 * re-apply, scale, prune of a removed process type, pods as dynos, rollout to
 * complete, doctor. Runs only when KUBECONFIG names a reachable cluster and
 * CUPAAS_TEST_K8S_IMAGE names an image its nodes can pull that serves HTTP on
 * $PORT (e.g. one of the registry's release images); otherwise skipped with
 * that reason. No fake API server stands in for a cluster.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { errorMessage } from '../../shared/errors.js';
import { waitFor } from '../../shared/wait.js';
import { createCluster, inspectCluster, loadKubeConfig } from './cluster.js';
import { appManifests } from './manifests.js';
import type { ManifestInput } from './types.js';

const image = process.env.CUPAAS_TEST_K8S_IMAGE;

async function reachable(): Promise<{ kc: KubeConfig } | { skip: string }> {
  if (!process.env.KUBECONFIG) return { skip: 'no KUBECONFIG: this machine has no Kubernetes API server' };
  if (!image) return { skip: 'CUPAAS_TEST_K8S_IMAGE is not set (an image the cluster can pull, serving HTTP on $PORT)' };
  const kc = loadKubeConfig(process.env.KUBECONFIG, { inCluster: false });
  if (!kc) return { skip: 'KUBECONFIG could not be loaded' };
  try {
    await inspectCluster(kc, 'cupaas-');
    return { kc };
  } catch (e) {
    return { skip: `KUBECONFIG names no reachable cluster: ${errorMessage(e)}` };
  }
}

const target = await reachable();
const skip = 'skip' in target ? target.skip : false;

describe('kubernetes cluster client (real cluster)', { skip }, () => {
  const kc = (target as { kc: KubeConfig }).kc;
  const cluster = skip ? undefined : createCluster(kc);
  const name = `ct${Date.now().toString(36)}`;
  const namespace = `cupaas-${name}`;
  const input = (version: number, workers: number | null, web = 1): ManifestInput => ({
    app: { id: name, name },
    release: { id: `r${version}`, version },
    image: image as string,
    processes: [
      { type: 'web', command: 'exec python3 -m http.server $PORT', quantity: web, size: 'basic' },
      ...(workers === null ? [] : [{ type: 'worker', command: 'exec sleep infinity', quantity: workers, size: 'basic' }]),
    ],
    config: { GREETING: `v${version}` },
    hostnames: [`${name}.example.test`],
    healthCheckPath: null,
    options: { namespace, ingressClass: null, imagePullSecret: null },
  });

  before(() => assert.ok(cluster));
  after(async () => {
    if (!skip) await kc.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('applies, reaches a complete rollout, and the web pod is an up dyno', async () => {
    const plan = await cluster!.applyApp(name, namespace, appManifests(input(1, 1)));
    assert.deepEqual(plan.prune, []);
    await waitFor(async () => ((await cluster!.rollout(name, namespace)).state === 'complete' ? true : undefined), {
      timeoutMs: 300_000, what: 'rollout complete',
    });
    const dynos = await cluster!.dynos(name, namespace);
    assert.ok(dynos.some((d) => d.processType === 'web' && d.state === 'up' && d.release === 1));
  });

  it('re-applying the same release prunes nothing (idempotent)', async () => {
    assert.deepEqual((await cluster!.applyApp(name, namespace, appManifests(input(1, 1)))).prune, []);
  });

  it('a new release without the worker prunes its Deployment; web switches over', async () => {
    const plan = await cluster!.applyApp(name, namespace, appManifests(input(2, null, 2)));
    assert.deepEqual(plan.prune.map((r) => `${r.kind}/${r.name}`), ['Deployment/worker']);
    await waitFor(async () => {
      const dynos = await cluster!.dynos(name, namespace);
      const web = dynos.filter((d) => d.processType === 'web' && d.state === 'up' && d.release === 2);
      return web.length === 2 && !dynos.some((d) => d.processType === 'worker') ? true : undefined;
    }, { timeoutMs: 300_000, what: 'two v2 web dynos and no worker' });
  });
});

/**
 * `--doctor`'s Kubernetes section where no cluster runs (this machine has no
 * API server): none configured, and a kubeconfig naming a closed port. The
 * report of a live cluster is exercised by cluster.test.ts when KUBECONFIG
 * names one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../shared/net.js';
import { kubernetesDoctor } from './doctor.js';

const base = {
  kubeconfig: null, inCluster: false, namespacePrefix: 'cupaas-', ingressClass: null, imagePullSecret: null, platformHost: null,
  addonClients: '10.0.0.0/8', registryAuth: null, ingressPort: 80,
};

describe('kubernetesDoctor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-k8s-doctor-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says when no cluster is configured', async () => {
    const report = await kubernetesDoctor({ ...base, registry: '127.0.0.1:1' });
    assert.match(report, /cluster: none configured \(set KUBECONFIG/);
  });

  it('reports an unreachable cluster and registry with what to do', async () => {
    const port = await freePort();
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: gone',
      'clusters: [{name: gone, cluster: {server: "https://127.0.0.1:' + port + '", insecure-skip-tls-verify: true}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: gone, context: {cluster: gone, user: u}}]', '',
    ].join('\n'));
    const report = await kubernetesDoctor({ ...base, kubeconfig: file, registry: `127.0.0.1:${port}` });
    assert.match(report, new RegExp(`context: gone \\(https://127.0.0.1:${port}\\)`));
    assert.match(report, /cluster: unreachable \(/);
    assert.match(report, /registry: 127.0.0.1:\d+: not reachable from the control plane .*CUPAAS_REGISTRY_URL/);
  });
});

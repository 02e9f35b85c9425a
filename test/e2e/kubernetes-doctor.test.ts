/**
 * `cupaas server --doctor --runtime kubernetes` as an operator runs it, where
 * no cluster exists: KUBECONFIG unset, and KUBECONFIG naming a closed port on
 * 127.0.0.1. Both say plainly that the runtime cannot run apps and why.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../../src/shared/net.js';
import { runCli } from '../support/cli.js';

describe('cupaas server --doctor --runtime kubernetes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-k8s-cli-doctor-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
    const { KUBECONFIG: _unset, KUBERNETES_SERVICE_HOST: _notInPod, ...rest } = process.env;
    return { ...rest, HOME: dir, ...extra };
  };
  const doctor = (extra: Record<string, string>) =>
    runCli(['server', '--doctor', '--runtime', 'kubernetes', '--home', join(dir, 'home')], { cwd: dir, env: env(extra) });

  it('without KUBECONFIG: no API server reachable, the runtime cannot run apps', async () => {
    const r = await doctor({});
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Kubernetes:\n {2}cluster: no Kubernetes API server reachable \(KUBECONFIG unset, not in a pod\) — the kubernetes runtime CANNOT run apps; set KUBECONFIG/);
  });

  it('with KUBECONFIG naming a closed port: the context, unreachable, and the registry', async () => {
    const port = await freePort();
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, [
      'apiVersion: v1', 'kind: Config', 'current-context: lab',
      `clusters: [{name: lab, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: lab, context: {cluster: lab, user: u}}]', '',
    ].join('\n'));
    const r = await doctor({ KUBECONFIG: file, CUPAAS_REGISTRY_URL: `127.0.0.1:${port}` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`context: lab \\(https://127.0.0.1:${port}\\)`));
    assert.match(r.stdout, /cluster: unreachable \(.*\) — the kubernetes runtime CANNOT run apps until it is reachable/);
    assert.match(r.stdout, new RegExp(`registry: 127.0.0.1:${port}: not reachable from the control plane`));
  });
});

/**
 * The kubernetes driver where no cluster runs (this machine has no API
 * server): what it says and does without one, and against a kubeconfig that
 * names a closed port, for real. Its behaviour on a cluster is the formations
 * contract test (src/runtime/formations.contract.test.ts), run when
 * KUBECONFIG names one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { kubernetesConfig } from '../../config/index.js';
import { silentLogger } from '../../shared/logger.js';
import { freePort } from '../../shared/net.js';
import { waitFor } from '../../shared/wait.js';
import { collectingLogSink } from '../../../test/support/runtime-fixtures.js';
import type { DynoEvent, FormationSpec, RuntimeDriver } from '../types.js';
import { createKubernetesDriver } from './driver.js';

const dir = mkdtempSync(join(tmpdir(), 'cupaas-k8s-driver-'));
const drivers: RuntimeDriver[] = [];
after(async () => {
  for (const d of drivers) await d.close();
  rmSync(dir, { recursive: true, force: true });
});
const driverWith = (env: Record<string, string>) => {
  const d = createKubernetesDriver(
    { config: { home: dir, stackPath: '/usr/bin:/bin', dyno: { bootTimeoutMs: 1, stopTimeoutMs: 1, crashBackoffBaseMs: 1, crashBackoffMaxMs: 1 } }, logs: collectingLogSink(), logger: silentLogger },
    kubernetesConfig(env),
  );
  drivers.push(d);
  return d;
};
const spec: FormationSpec = {
  appId: 'a1', appName: 'shop',
  release: { id: 'r1', version: 1, artifact: { slugChecksum: null, image: { id: 'sha256:x', ref: 'reg.test/shop:v1' } }, config: {}, healthCheckPath: null },
  processes: [{ type: 'web', command: 'serve', quantity: 1, size: 'basic' }], hostnames: ['shop.test'], restarts: {},
};

const oneOff = (dynoId: string, attach = false) => ({
  dynoId, appId: 'a1', name: 'run.1', processType: 'run', releaseId: 'r1', releaseVersion: 1, artifact: spec.release.artifact,
  command: 'bash', size: 'basic', env: { CUPAAS_APP: 'shop' }, web: false, healthCheckPath: null,
  oneOff: attach ? { attachment: { tty: false, input: Readable.from([]), output: () => undefined } } : {},
});
const exitOf = (events: DynoEvent[], dynoId: string) =>
  waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === dynoId), { what: `${dynoId} exit` });

describe('kubernetes driver without a cluster', () => {
  const driver = driverWith({});

  it('is declarative and says it cannot run without KUBECONFIG', async () => {
    assert.equal(driver.name, 'kubernetes');
    assert.equal(driver.runs, 'image');
    assert.ok(driver.formations);
    const health = await driver.doctor();
    assert.equal(health.ok, false);
    assert.match(health.report, /no Kubernetes API server reachable \(KUBECONFIG unset, not in a pod\) — the kubernetes runtime CANNOT run apps/);
  });

  it('adopts nothing and refuses to apply, saying what to set', async () => {
    await driver.adopt();
    await assert.rejects(driver.formations!.apply(spec), /no Kubernetes cluster configured: set KUBECONFIG/);
  });

  it('a one-off dyno ends at once, saying there is no cluster; an attached one says to run detached', async () => {
    const events: DynoEvent[] = [];
    driver.subscribe((e) => events.push(e));
    driver.start(oneOff('d1'));
    const exit = await exitOf(events, 'd1');
    assert.match(exit.error ?? '', /no Kubernetes cluster configured/);
    assert.equal(exit.requested, false);
    driver.start(oneOff('d2', true));
    assert.match((await exitOf(events, 'd2')).error ?? '', /attached one-off dynos .* use `run:detached`/);
    assert.deepEqual(driver.list(), []);
  });
});

describe('kubernetes driver with KUBECONFIG naming a closed port', async () => {
  const port = await freePort();
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: gone',
    `clusters: [{name: gone, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]`,
    'users: [{name: u, user: {token: t}}]',
    'contexts: [{name: gone, context: {cluster: gone, user: u}}]', '',
  ].join('\n'));
  const driver = driverWith({ KUBECONFIG: file });

  it('doctor: unreachable, and the runtime cannot run apps until it is', async () => {
    const health = await driver.doctor();
    assert.equal(health.ok, false);
    assert.match(health.report, new RegExp(`context: gone \\(https://127.0.0.1:${port}\\)`));
    assert.match(health.report, /cluster: unreachable \(.*\) — the kubernetes runtime CANNOT run apps until it is reachable/);
  });

  it('a control plane starts anyway (adoption is retried) and an apply fails with the connection error', async () => {
    await driver.adopt();
    await assert.rejects(driver.formations!.apply(spec), /ECONNREFUSED|connect/);
    const status = driver.formations!.observe().find((s) => s.appId === 'a1');
    assert.equal(status?.releaseId, 'r1');
    assert.deepEqual(status?.rollout, { state: 'progressing' }, 'no verdict without the cluster');
  });

  it('a one-off dyno ends with the connection error and leaves nothing listed', async () => {
    const events: DynoEvent[] = [];
    driver.subscribe((e) => events.push(e));
    driver.start(oneOff('d3'));
    assert.match((await exitOf(events, 'd3')).error ?? '', /ECONNREFUSED|connect/);
    assert.deepEqual(driver.list(), []);
  });

  it('an unreadable KUBECONFIG stops the start with the file named', async () => {
    const broken = driverWith({ KUBECONFIG: join(dir, 'missing') });
    await assert.rejects(broken.adopt(), /cannot read KUBECONFIG .*missing/);
    assert.match((await broken.doctor()).report, /KUBECONFIG .*missing cannot be read/);
  });
});

/**
 * The contract of the declarative facet (`RuntimeDriver.formations`,
 * design/021), run against every registered driver that has it: apply a
 * desired state, watch it converge (rollout, dynos up, output in the logs),
 * re-apply without restarting anything, scale, roll to a new release, be
 * adopted by a new driver instance without restarts, prune a removed process
 * type, run a one-off dyno (`start` with `oneOff`), remove the app. A driver that cannot run here is skipped with its
 * reason; no fake runtime stands in for a real one.
 *
 * Needs an image the runtime can pull (CUPAAS_TEST_FORMATION_IMAGE) with
 * bash and python3 at /usr/bin, e.g. the stack image pushed to a registry
 * the cluster pulls from.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_STACK_PATH, kubernetesConfig } from '../config/index.js';
import { silentLogger } from '../shared/logger.js';
import { waitFor } from '../shared/wait.js';
import { collectingLogSink, driverPool } from '../../test/support/runtime-fixtures.js';
import { RUNTIME_DRIVERS, type DynoEvent, type FormationSpec, type FormationStatus, type RuntimeDriver } from './index.js';

/** Why a declarative driver cannot be tested on this machine before asking it, when that is known from the environment. */
const PRECONDITION: Readonly<Record<string, () => string | null>> = {
  kubernetes: () => (process.env.KUBECONFIG || process.env.KUBERNETES_SERVICE_HOST ? null : 'no Kubernetes API server reachable (KUBECONFIG unset)'),
};
const image = process.env.CUPAAS_TEST_FORMATION_IMAGE;
const WAIT = { timeoutMs: 300_000, intervalMs: 1000 };

for (const [name, factory] of Object.entries(RUNTIME_DRIVERS)) {
  const home = mkdtempSync(join(tmpdir(), `cupaas-formations-${name}-`));
  const logs = collectingLogSink();
  const config = {
    home, stackPath: DEFAULT_STACK_PATH, kubernetes: kubernetesConfig(process.env),
    dyno: { bootTimeoutMs: 60_000, stopTimeoutMs: 30_000, crashBackoffBaseMs: 1000, crashBackoffMaxMs: 10_000 },
  };
  const { newDriver, closeAll } = driverPool(factory, { config, logs, logger: silentLogger });
  const driver = newDriver();
  const cleanup = async () => {
    await closeAll();
    rmSync(home, { recursive: true, force: true });
  };
  if (!driver.formations) {
    await cleanup();
    continue;
  }
  const known = PRECONDITION[name]?.() ?? (image ? null : 'CUPAAS_TEST_FORMATION_IMAGE is not set (an image the runtime pulls, with bash and python3)');
  const health = known ? null : await driver.doctor();
  const skip = known ?? (health?.ok ? false : (health?.report ?? 'cannot run here'));
  // A skipped suite runs no hooks of its own: its home goes now.
  if (skip) await cleanup();

  describe(`formations contract: ${name}`, { skip }, () => {
    const formations = driver.formations!;
    const appId = `fc${Date.now().toString(36)}`;
    const spec = (version: number, web: number, worker: number | null, config: Record<string, string> = {}): FormationSpec => ({
      appId, appName: appId,
      release: { id: `r${version}`, version, artifact: { slugChecksum: null, image: { id: image!, ref: image! } }, config, healthCheckPath: null },
      processes: [
        { type: 'web', command: 'echo "hello from $DYNO"; exec python3 -m http.server $PORT', quantity: web, size: 'basic' },
        ...(worker === null ? [] : [{ type: 'worker', command: 'exec sleep 86400', quantity: worker, size: 'basic' }]),
      ],
      hostnames: [`${appId}.example.test`],
      restarts: {},
    });
    const statusOf = (d: RuntimeDriver = driver): FormationStatus | undefined => d.formations!.observe().find((s) => s.appId === appId);
    const converged = (releaseId: string, web: number, worker: number, d: RuntimeDriver = driver) =>
      waitFor(() => {
        const s = statusOf(d);
        if (!s || s.releaseId !== releaseId || s.rollout.state !== 'complete') return undefined;
        const live = s.dynos.filter((x) => x.state === 'up' && x.releaseId === releaseId);
        const others = s.dynos.filter((x) => !(x.state === 'up' && x.releaseId === releaseId));
        const count = (t: string) => live.filter((x) => x.processType === t).length;
        return count('web') === web && count('worker') === worker && others.length === 0 ? s : undefined;
      }, { ...WAIT, what: `${releaseId}: web=${web} worker=${worker} up` });
    const ids = (s: FormationStatus) => s.dynos.map((d) => d.id).sort();

    after(async () => {
      await formations.remove(appId).catch(() => undefined);
      await cleanup();
    });

    it('applies a desired state and converges: rollout complete, the web dyno up, its output in the logs', async () => {
      await driver.adopt();
      await formations.apply(spec(1, 1, 0));
      const s = await converged('r1', 1, 0);
      assert.equal(s.dynos[0]?.releaseVersion, 1);
      await waitFor(() => logs.lines.some((l) => l.appId === appId && l.source === 'app' && /hello from /.test(l.message)), { ...WAIT, what: 'web output' });
    });

    it('applying the same state again restarts nothing', async () => {
      const before = ids((await converged('r1', 1, 0)));
      await formations.apply(spec(1, 1, 0));
      assert.deepEqual(ids(await converged('r1', 1, 0)), before);
    });

    it('scales process types', async () => {
      await formations.apply(spec(1, 2, 1));
      await converged('r1', 2, 1);
    });

    it('rolls to a new release', async () => {
      await formations.apply(spec(2, 2, 1, { GREETING: 'v2' }));
      await converged('r2', 2, 1);
    });

    it('a new driver instance adopts what runs without restarting it', async () => {
      const before = ids(await converged('r2', 2, 1));
      const next = newDriver();
      await next.adopt();
      const adopted = await converged('r2', 2, 1, next);
      assert.deepEqual(ids(adopted), before);
    });

    it('prunes a removed process type', async () => {
      await formations.apply(spec(2, 1, null, { GREETING: 'v2' }));
      await converged('r2', 1, 0);
    });

    it('runs a one-off dyno once: its output in the logs, its exit status, nothing left listed', async () => {
      const events: DynoEvent[] = [];
      const unsubscribe = driver.subscribe((e) => events.push(e));
      const dynoId = `oneoff-${Date.now().toString(36)}`;
      driver.start({
        dynoId, appId, name: 'run.1', processType: 'run', releaseId: 'r2', releaseVersion: 2, artifact: spec(2, 1, null).release.artifact,
        command: 'echo "once from $DYNO"; exit 3', size: 'basic', env: { CUPAAS_APP: appId, DYNO: 'run.1' }, web: false, healthCheckPath: null, oneOff: {},
      });
      const exit = await waitFor(() => events.find((e): e is Extract<DynoEvent, { type: 'exited' }> => e.type === 'exited' && e.dynoId === dynoId), { ...WAIT, what: 'one-off exit' });
      unsubscribe();
      assert.equal(exit.status, 3, exit.error);
      await waitFor(() => logs.lines.some((l) => l.appId === appId && l.process === 'run.1' && /once from run\.1/.test(l.message)), { ...WAIT, what: 'one-off output' });
      assert.deepEqual(driver.list().filter((d) => d.spec.dynoId === dynoId), []);
    });

    it('removes the app', async () => {
      await formations.remove(appId);
      assert.equal(statusOf(), undefined);
    });
  });
}

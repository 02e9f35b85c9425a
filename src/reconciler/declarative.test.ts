/**
 * The reconciler with a declarative driver, on a real store: a test double of
 * the `formations` facet (the interface, not a runtime) records what it is
 * handed and reports what the test says it observes. Shows that formation
 * intent still has one owner (deploys, scale, restarts and destroys reach the
 * driver only through the reconciler), that release verdicts come from the
 * observed rollout, that a failed rollout falls back to the previous release,
 * and that no per-dyno start or stop is ever asked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { createAppService } from '../apps/index.js';
import type { App, Backend, PlatformEvent } from '../domain/index.js';
import { createReleaseService } from '../releases/index.js';
import type { DeclarativeFormations, FormationSpec, FormationStatus, RuntimeDriver } from '../runtime/index.js';
import { createEventBus } from '../shared/events.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { waitFor } from '../shared/wait.js';
import { openStore } from '../store/index.js';
import { collectingLogSink } from '../../test/support/runtime-fixtures.js';
import { createFormationService } from './formation-service.js';
import { createReconciler } from './reconciler.js';

const dir = mkdtempSync(join(tmpdir(), 'cupaas-declarative-'));
const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
const events = createEventBus<PlatformEvent>();
const releases = createReleaseService({ store, events });
const apps = createAppService({ store, releases, events, teardowns: [], logger: silentLogger });
const formation = createFormationService({ store, events });
const user = store.users.create('k@example.com', 'k');

/** The facet double: applies are recorded; observations are whatever the test sets. */
function facetDouble() {
  const applied: FormationSpec[] = [];
  const removed: string[] = [];
  const statuses = new Map<string, FormationStatus>();
  const listeners = new Set<() => void>();
  const facet: DeclarativeFormations = {
    async apply(spec) {
      applied.push(spec);
      const prev = statuses.get(spec.appId);
      statuses.set(spec.appId, { appId: spec.appId, releaseId: spec.release.id, rollout: { state: 'progressing' }, dynos: prev?.dynos ?? [], backends: prev?.backends ?? [] });
    },
    async remove(appId) {
      removed.push(appId);
      statuses.delete(appId);
    },
    observe: () => [...statuses.values()],
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  const observe = (appId: string, patch: Partial<FormationStatus>) => {
    statuses.set(appId, { ...(statuses.get(appId) as FormationStatus), ...patch });
    listeners.forEach((l) => l());
  };
  return { facet, applied, removed, observe };
}

const double = facetDouble();
const perDyno: string[] = [];
const driver: RuntimeDriver = {
  name: 'declarative-double', runs: 'image', formations: double.facet,
  adopt: async () => undefined, servicesAddress: async () => null, doctor: async () => ({ ok: true, report: '' }),
  start: (spec) => void perDyno.push(`start ${spec.name}`),
  stop: async (id) => (perDyno.push(`stop ${id}`), { forced: false }),
  list: () => [], subscribe: () => () => undefined, close: async () => undefined,
};
const routed = new Map<string, readonly Backend[]>();
const logs = collectingLogSink();
const reconciler = createReconciler({
  store, driver, logs, events, logger: silentLogger, tickMs: 60_000,
  routing: { setBackends: (appId, b) => void routed.set(appId, b), drain: async () => undefined },
  config: { dyno: { bootTimeoutMs: 5000, stopTimeoutMs: 3000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 } },
  imageRef: (app, r) => `registry.test/${app}:v${r.version}`,
  hostnames: (appId) => [`${store.apps.find(appId)?.name}.apps.test`],
});
await reconciler.start();
after(async () => {
  await reconciler.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function deploy(app: App, processTypes: Record<string, string>) {
  const slugId = newId();
  store.slugs.insert({
    id: slugId, appId: app.id, checksum: 'SHA256:x', size: 1, processTypes, commit: null, commitDescription: null,
    stack: 'cupaas-24', buildpackDescription: null, healthCheckPath: '/health', imageId: `sha256:${slugId}`, createdAt: new Date().toISOString(),
  });
  const release = releases.deploy(app, { slugId, description: 'Deploy', services: [], userId: user.id });
  formation.ensureProcessTypes(app, Object.keys(processTypes), {});
  return release;
}

const lastApplied = (appId: string) => double.applied.filter((s) => s.appId === appId).at(-1);
const statusOf = (appId: string, version: number) => store.releases.list(appId).find((r) => r.version === version)?.status;

it('a deploy hands the driver the whole desired state; the rollout decides the release', async () => {
  const app = apps.create('decl-one', user.id);
  const v = deploy(app, { web: 'node server.js', worker: 'node worker.js' });
  const spec = await waitFor(() => lastApplied(app.id)?.release.id === v.id && lastApplied(app.id), { what: 'apply of the deploy' });
  assert.deepEqual(spec.processes, [
    { type: 'web', command: 'node server.js', quantity: 1, size: 'standard-1x' },
    { type: 'worker', command: 'node worker.js', quantity: 0, size: 'standard-1x' },
  ]);
  assert.equal(spec.release.artifact.image?.ref, `registry.test/decl-one:v${v.version}`);
  assert.equal(spec.release.healthCheckPath, '/health');
  assert.deepEqual(spec.hostnames, ['decl-one.apps.test']);
  assert.equal(statusOf(app.id, v.version), 'pending', 'no verdict while the rollout progresses');

  const web: Backend = { dynoId: 'svc', dynoName: 'web', host: 'web.cupaas-decl-one.svc', port: 80 };
  double.observe(app.id, {
    rollout: { state: 'complete' }, backends: [web],
    dynos: [{ id: 'web-abc', name: 'web.abc', processType: 'web', releaseId: v.id, releaseVersion: v.version, state: 'up', restarts: 0, code: null, reason: null, since: Date.now() }],
  });
  await waitFor(() => statusOf(app.id, v.version) === 'succeeded', { what: 'release succeeded' });
  await waitFor(() => routed.get(app.id)?.[0]?.host === web.host, { what: 'the router gets the backend the driver names' });
  assert.deepEqual(reconciler.dynos(app.id).map((d) => `${d.name} ${d.state} ${d.command} v${d.release.version}`), [`web.abc up node server.js v${v.version}`]);
  assert.match(logs.text(), /heroku\[web\.abc\]: State changed from starting to up/);
});

it('scale, size and restart are new desired states; an unchanged state is not applied again', async () => {
  const app = apps.create('decl-scale', user.id);
  deploy(app, { web: 'node server.js', worker: 'node worker.js' });
  await waitFor(() => lastApplied(app.id), { what: 'first apply' });
  const count = () => double.applied.filter((s) => s.appId === app.id).length;
  const before = count();
  formation.update(app, [{ type: 'worker', quantity: 3, size: 'performance-m' }]);
  const scaled = await waitFor(() => count() > before && lastApplied(app.id), { what: 'apply after scaling' });
  assert.deepEqual(scaled.processes.find((p) => p.type === 'worker'), { type: 'worker', command: 'node worker.js', quantity: 3, size: 'performance-m' });
  formation.restart(app, { processType: 'worker' });
  const restarted = await waitFor(() => (lastApplied(app.id)?.restarts.worker ? lastApplied(app.id) : undefined), { what: 'apply after restart' });
  assert.ok(restarted.restarts.worker);
  const settled = count();
  reconciler.trigger();
  events.publish({ type: 'formation.changed', appId: app.id, processType: 'web', quantity: 1, size: 'standard-1x' });
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(count(), settled, 'the same desired state is not re-applied');
});

it('a failed rollout fails the release and the previous release is applied again', async () => {
  const app = apps.create('decl-fail', user.id);
  const v1 = deploy(app, { web: 'node server.js' });
  await waitFor(() => lastApplied(app.id)?.release.id === v1.id, { what: 'v1 applied' });
  double.observe(app.id, { rollout: { state: 'complete' } });
  await waitFor(() => statusOf(app.id, v1.version) === 'succeeded', { what: 'v1 succeeded' });
  const v2 = deploy(app, { web: 'node broken.js' });
  await waitFor(() => lastApplied(app.id)?.release.id === v2.id, { what: 'v2 applied' });
  double.observe(app.id, { rollout: { state: 'failed', reason: 'Deployment "web" exceeded its progress deadline' } });
  await waitFor(() => statusOf(app.id, v2.version) === 'failed', { what: 'v2 failed' });
  assert.match(store.releases.list(app.id).find((r) => r.id === v2.id)?.statusReason ?? '', /progress deadline/);
  const back = await waitFor(() => lastApplied(app.id)?.release.id === v1.id && lastApplied(app.id), { what: 'v1 applied again' });
  assert.equal(back.processes[0]?.command, 'node server.js');
});

it('a destroyed app is removed from the runtime and from the router; no per-dyno call ever happened', async () => {
  const app = apps.create('decl-gone', user.id);
  deploy(app, { web: 'node server.js' });
  await waitFor(() => lastApplied(app.id), { what: 'applied' });
  double.observe(app.id, { backends: [{ dynoId: 'svc-gone', dynoName: 'web', host: 'h', port: 80 }] });
  await waitFor(() => routed.get(app.id)?.length === 1, { what: 'routed' });
  await apps.destroy(app);
  await waitFor(() => double.removed.includes(app.id), { what: 'removed' });
  await waitFor(() => routed.get(app.id)?.length === 0, { what: 'unrouted' });
  assert.deepEqual(perDyno, []);
});

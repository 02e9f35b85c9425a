/**
 * The reconciler and the local runtime driver in-process on a temp home, with
 * a collecting LogSink and a RoutingTable that records what it is told and
 * acts as a minimal router (picks a backend, counts requests for drains).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppService } from '../../src/apps/index.js';
import { DEFAULT_STACK_PATH } from '../../src/config/index.js';
import type { App, Backend, PlatformEvent, RoutingTable } from '../../src/domain/index.js';
import { createFormationService, createReconciler, type Reconciler } from '../../src/reconciler/index.js';
import { createReleaseService } from '../../src/releases/index.js';
import { createRuntimeDriver } from '../../src/runtime/index.js';
import { createEventBus } from '../../src/shared/events.js';
import { newId } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../src/shared/wait.js';
import { openStore } from '../../src/store/index.js';
import { collectingLogSink, FIXTURE_PROCESS_TYPES, packFixtureSlug } from './runtime-fixtures.js';

export interface RecordingRouting extends RoutingTable {
  current(appId: string): readonly Backend[];
  history: Array<{ appId: string; dynoIds: string[] }>;
  /** GETs `path` from a random current backend of the app, as a router would. */
  request(appId: string, path?: string): Promise<{ status: number; body: string }>;
}

export function recordingRouting(): RecordingRouting {
  const backends = new Map<string, readonly Backend[]>();
  const inFlight = new Map<string, number>();
  const history: RecordingRouting['history'] = [];
  const bump = (id: string, by: number) => inFlight.set(id, (inFlight.get(id) ?? 0) + by);
  return {
    history,
    current: (appId) => backends.get(appId) ?? [],
    setBackends(appId, next) {
      backends.set(appId, [...next]);
      history.push({ appId, dynoIds: next.map((b) => b.dynoId) });
    },
    async drain(dynoId, timeoutMs) {
      await waitFor(() => (inFlight.get(dynoId) ?? 0) === 0, { timeoutMs, intervalMs: 10 }).catch(() => undefined);
    },
    async request(appId, path = '/') {
      const list = backends.get(appId) ?? [];
      const b = list[Math.floor(Math.random() * list.length)];
      if (!b) return { status: 503, body: 'no backends' };
      bump(b.dynoId, 1);
      try {
        const res = await fetch(`http://${b.host}:${b.port}${path}`);
        return { status: res.status, body: await res.text() };
      } catch (e) {
        return { status: 502, body: String(e) };
      } finally {
        bump(b.dynoId, -1);
      }
    },
  };
}

export const TEST_DYNO_SETTINGS = { bootTimeoutMs: 3000, stopTimeoutMs: 1500, crashBackoffBaseMs: 300, crashBackoffMaxMs: 1200 };

export async function startRuntimeHarness(home = mkdtempSync(join(tmpdir(), 'cupaas-rth-'))) {
  const store = openStore({ dbPath: join(home, 'state.db'), secretKeyPath: join(home, 'secret.key') });
  const events = createEventBus<PlatformEvent>();
  const seen: PlatformEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const releases = createReleaseService({ store, events });
  const apps = createAppService({ store, releases, events, teardowns: [], logger: silentLogger });
  const formation = createFormationService({ store, events });
  const logs = collectingLogSink();
  const routing = recordingRouting();
  const config = { home, stackPath: DEFAULT_STACK_PATH, dyno: TEST_DYNO_SETTINGS };
  const user = store.users.create(`rt-${newId()}@cupaas.local`, 'rt');
  const slug = await packFixtureSlug(home);
  let reconciler: Reconciler | null = null;

  const startReconciler = async () => {
    const driver = createRuntimeDriver('local', { config, logs, logger: silentLogger });
    reconciler = createReconciler({ store, driver, routing, logs, events, config, logger: silentLogger, tickMs: 250 });
    await reconciler.start();
    return reconciler;
  };

  return {
    home, store, events, seen, releases, apps, formation, logs, routing, user,
    startReconciler,
    get reconciler() {
      return reconciler as Reconciler;
    },
    /** A new app whose first deploy is the fixture slug, with the given config vars. */
    deployApp(name: string, config: Record<string, string> = {}): App {
      const app = apps.create(name, user.id);
      if (Object.keys(config).length) releases.setConfig(app, config, user.id);
      const slugId = newId();
      store.slugs.insert({
        id: slugId, appId: app.id, checksum: slug.checksum, size: slug.size, processTypes: FIXTURE_PROCESS_TYPES,
        commit: null, commitDescription: null, stack: 'cupaas-24', buildpackDescription: null, healthCheckPath: null, imageId: null,
        createdAt: new Date().toISOString(),
      });
      releases.deploy(app, { slugId, description: 'Deploy fixture', services: [], userId: user.id });
      return app;
    },
    /** Waits until the router has `n` backends for the app and every one answers. */
    async serving(app: App, n: number, version?: number) {
      return waitFor(
        async () => {
          const bs = routing.current(app.id);
          if (bs.length !== n) return false;
          const bodies = await Promise.all(bs.map((b) => fetch(`http://${b.host}:${b.port}/`).then((r) => r.json() as Promise<{ dyno: string; release: string; pid: number }>)));
          return version === undefined || bodies.every((x) => x.release === String(version)) ? bodies : false;
        },
        { timeoutMs: 20_000, intervalMs: 100, what: `${app.name} served by ${n} dynos` },
      );
    },
    async cleanup() {
      await reconciler?.stop();
      store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

import type { LogSink, PlatformEvent, RoutingTable } from '../domain/index.js';
import type { DeclarativeFormations, FormationDyno } from '../runtime/index.js';
import { errorMessage } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import { isoTime } from '../shared/time.js';
import type { Store } from '../store/index.js';
import { apply } from './apply.js';
import { dynoChangeLines, planDeclarative } from './declarative-plan.js';
import type { DynoView } from './dyno-views.js';
import type { DesiredApp } from './model.js';

/** Re-apply an unchanged app this often, so edits made behind cupaas's back are undone (like an informer's resync). */
const RESYNC_MS = 10 * 60_000;

export interface DeclarativeDeps {
  formations: DeclarativeFormations;
  routing: RoutingTable;
  store: Pick<Store, 'releases'>;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
  logs: LogSink;
  logger: Logger;
  hostnames: (appId: string) => readonly string[];
  settings: { bootTimeoutMs: number; stopTimeoutMs: number };
}

/**
 * The reconciler's path for a declarative driver: the same desired state as
 * the per-dyno path, handed over whole per app (`apply`), and the driver's
 * observations read back as dyno views, log lines and release verdicts.
 */
export function createDeclarativeRunner(deps: DeclarativeDeps) {
  const { formations, logs, logger } = deps;
  const applied = new Map<string, { key: string; at: number }>();
  const backends = new Map<string, readonly string[]>();
  const background = new Set<Promise<void>>();
  let seen = new Map<string, readonly FormationDyno[]>();

  const track = (work: Promise<void>) => {
    const tracked = work.finally(() => background.delete(tracked));
    background.add(tracked);
  };

  /** Writes what changed in the observed dynos since the last run to each app's log. */
  function narrate() {
    const next = new Map(formations.observe().map((s) => [s.appId, s.dynos]));
    for (const [appId, dynos] of next) {
      for (const line of dynoChangeLines(seen.get(appId) ?? [], dynos)) logs.write(appId, { source: 'heroku', ...line });
    }
    seen = next;
  }

  function run(desired: readonly DesiredApp[]) {
    narrate();
    const observed = { statuses: formations.observe(), applied, backends };
    const actions = planDeclarative(desired, deps.hostnames, observed, Date.now(), RESYNC_MS);
    const generic = [];
    for (const a of actions) {
      if (a.kind === 'apply') {
        // Recorded before the call so a run during it does not apply again; forgotten on failure so the next run retries.
        applied.set(a.spec.appId, { key: a.key, at: Date.now() });
        track(formations.apply(a.spec).catch((e: unknown) => {
          applied.delete(a.spec.appId);
          logger.warn('applying a formation failed', { app: a.spec.appName, error: errorMessage(e) });
          logs.write(a.spec.appId, { source: 'heroku', process: 'api', message: `Runtime did not accept v${a.spec.release.version}: ${errorMessage(e)}` });
        }));
      } else if (a.kind === 'remove') {
        applied.delete(a.appId);
        track(formations.remove(a.appId).catch((e: unknown) => logger.warn('removing an app from the runtime failed', { appId: a.appId, error: errorMessage(e) })));
      } else {
        generic.push(a);
      }
    }
    apply({ actions: generic, wakeAt: null }, {
      ...deps,
      // Never called: a declarative plan holds no per-dyno start or stop.
      driver: { start: () => undefined, stop: async () => ({ forced: false }) },
      routed: (appId, ids) => (ids.length ? backends.set(appId, ids) : backends.delete(appId)),
      stopping: () => undefined,
      background: track,
    });
  }

  /** The app's dynos as `ps` shows them. */
  function dynos(app: DesiredApp | undefined): DynoView[] {
    if (!app) return [];
    const status = formations.observe().find((s) => s.appId === app.appId);
    const processOf = new Map(app.processes.map((p) => [p.type, p]));
    return (status?.dynos ?? []).map((d): DynoView => ({
      id: d.id,
      name: d.name,
      type: d.processType,
      state: d.state === 'stopping' ? 'down' : d.state,
      since: isoTime(d.since),
      command: processOf.get(d.processType)?.command ?? '',
      size: processOf.get(d.processType)?.size ?? '',
      release: { id: d.releaseId ?? '', version: d.releaseVersion ?? 0 },
      isolation: 'runtime',
      node: null,
      reason: d.state === 'starting' || d.state === 'crashed' ? d.reason : null,
    })).sort((a, b) => a.name.localeCompare(b.name));
  }

  return { run, dynos, settled: () => Promise.all(background).then(() => undefined) };
}

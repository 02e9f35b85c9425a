import type { ResolvedConfig } from '../config/index.js';
import type { LogSink, PlatformEvent, RoutingTable } from '../domain/index.js';
import type { DynoEvent, ObservedDyno, RuntimeDriver } from '../runtime/index.js';
import { errorMessage } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { apply } from './apply.js';
import { restartedSince } from './backoff.js';
import { createDeclarativeRunner } from './declarative.js';
import { loadDesired, type DesiredStore, type ImageRef } from './desired.js';
import { dynoViews, type DynoView } from './dyno-views.js';
import type { CrashRecord, DesiredApp, StopReason } from './model.js';
import { plan } from './plan.js';

/** A dyno that ran this long before crashing starts a fresh back-off (Heroku: not a boot crash). */
const STABLE_AFTER_MS = 10 * 60_000;

export interface ReconcilerDeps {
  store: DesiredStore & Pick<Store, 'releases'>;
  driver: RuntimeDriver;
  routing: RoutingTable;
  logs: LogSink;
  events: EventBus<PlatformEvent>;
  config: Pick<Readonly<ResolvedConfig>, 'dyno'>;
  logger: Logger;
  /** The periodic re-check, besides events (default 5 s). */
  tickMs?: number;
  /** Names release images in the registry, when the platform pushes them (engines on other nodes pull by it). */
  imageRef?: ImageRef;
  /** The hostnames of an app (default and custom domains), for drivers that route to apps themselves (declarative ones). */
  hostnames?: (appId: string) => readonly string[];
}

export interface Reconciler {
  /** Adopts dynos a previous server left running (or stops them), then converges and keeps converging. */
  start(): Promise<void>;
  /** Stops converging, then stops every dyno gracefully. */
  stop(): Promise<void>;
  /** Asks for a reconcile soon (many calls coalesce into one). */
  trigger(): void;
  /** The app's dynos as `ps` shows them. */
  dynos(appId: string): DynoView[];
}

/**
 * The one loop that starts and stops dynos. Level-based: on any platform or
 * dyno event, on a timer, and when a back-off or boot deadline passes, it
 * reads the desired state, plans against what runs, and applies the plan.
 */
export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const { store, driver, routing, logs, events, config, logger } = deps;
  const settings = { ...config.dyno };
  const crashes = new Map<string, CrashRecord>();
  const stopIntents = new Map<string, StopReason>();
  const upOnce = new Set<string>();
  const backends = new Map<string, readonly string[]>();
  const background = new Set<Promise<void>>();
  let desired = new Map<string, DesiredApp>();
  let scheduled = false;
  let stopped = true;
  let wakeTimer: NodeJS.Timeout | undefined;
  let tickTimer: NodeJS.Timeout | undefined;
  const unsubscribes: Array<() => void> = [];
  // A declarative driver gets whole apps instead of per-dyno starts and stops (design/021).
  const declarative = driver.formations
    ? createDeclarativeRunner({
        formations: driver.formations, routing, store, events, logs, logger, settings, hostnames: deps.hostnames ?? (() => []),
      })
    : null;

  const say = (d: ObservedDyno, message: string) => logs.write(d.spec.appId, { source: 'heroku', process: d.spec.name, message });
  const observedDynos = () =>
    driver.list().map((d) => (stopIntents.has(d.spec.dynoId) ? { ...d, state: 'stopping' as const } : d));

  const recordCrash = (e: Extract<DynoEvent, { type: 'exited' }>, intent: StopReason | undefined, wasUp: boolean) => {
    const { spec } = e.dyno;
    const key = `${spec.appId}/${spec.name}`;
    const prev = crashes.get(key);
    const app = desired.get(spec.appId);
    const continues =
      prev !== undefined && prev.dyno.spec.releaseId === spec.releaseId &&
      !(wasUp && Date.now() - e.dyno.startedAt >= STABLE_AFTER_MS) &&
      !(app && restartedSince(app.restarts, spec.processType, spec.name, prev.exitedAt));
    const reason =
      intent === 'boot-timeout' ? 'Error R10 (Boot timeout)' : e.error ? `could not start (${e.error})` : `exited with status ${e.status}`;
    crashes.set(key, { dyno: e.dyno, count: continues ? prev.count + 1 : 1, exitedAt: Date.now(), beforeUp: !wasUp, reason });
  };

  const onDynoEvent = (e: DynoEvent) => {
    // One-off dynos are outside the formation: their service reports them, and they are never restarted.
    if (e.dyno.spec.oneOff) return;
    if (e.type === 'up') {
      upOnce.add(e.dynoId);
      say(e.dyno, 'State changed from starting to up');
    } else {
      const intent = stopIntents.get(e.dynoId);
      const wasUp = upOnce.has(e.dynoId);
      stopIntents.delete(e.dynoId);
      upOnce.delete(e.dynoId);
      if (e.lost) say(e.dyno, `Dyno lost: ${e.lost}; starting a replacement`);
      else if (e.error) say(e.dyno, `Failed to start process: ${e.error}`);
      else say(e.dyno, `Process exited with status ${e.status}`);
      const crashed = !e.lost && (intent === undefined || intent === 'boot-timeout');
      if (crashed) recordCrash(e, intent, wasUp);
      say(e.dyno, `State changed from ${wasUp ? 'up' : 'starting'} to ${crashed ? 'crashed' : 'down'}`);
    }
    trigger();
  };

  const runOnce = () => {
    const apps = loadDesired(store, deps.imageRef);
    desired = new Map(apps.map((a) => [a.appId, a]));
    if (declarative) return declarative.run(apps);
    for (const [key, c] of crashes) if (!desired.has(c.dyno.spec.appId)) crashes.delete(key);
    const observed = { dynos: observedDynos().filter((d) => !d.spec.oneOff), crashes: [...crashes.values()], backends };
    const p = plan(apps, observed, Date.now(), settings);
    apply(p, {
      driver, routing, store, events, logs, settings,
      routed: (appId, ids) => (ids.length || desired.has(appId) ? backends.set(appId, ids) : backends.delete(appId)),
      stopping: (dynoId, reason) => stopIntents.set(dynoId, reason),
      background: (work) => {
        const tracked = work
          .catch((e: unknown) => logger.error('stopping a dyno failed', { error: errorMessage(e) }))
          .finally(() => background.delete(tracked));
        background.add(tracked);
      },
    });
    clearTimeout(wakeTimer);
    if (p.wakeAt !== null) wakeTimer = setTimeout(trigger, Math.max(0, p.wakeAt - Date.now()) + 5);
  };

  function trigger() {
    if (stopped || scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (stopped) return;
      try {
        runOnce();
      } catch (e) {
        logger.error('reconcile failed', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    });
  }

  return {
    trigger,
    async start() {
      await driver.adopt();
      stopped = false;
      unsubscribes.push(driver.subscribe(onDynoEvent), events.subscribe(() => trigger()));
      if (driver.formations) unsubscribes.push(driver.formations.subscribe(trigger));
      tickTimer = setInterval(trigger, deps.tickMs ?? 5000);
      tickTimer.unref();
      trigger();
    },
    async stop() {
      stopped = true;
      clearTimeout(wakeTimer);
      clearInterval(tickTimer);
      unsubscribes.splice(0).forEach((u) => u());
      await Promise.all(background);
      await declarative?.settled();
      await driver.close();
    },
    dynos: (appId) =>
      declarative ? declarative.dynos(desired.get(appId)) : dynoViews(desired.get(appId), observedDynos(), [...crashes.values()]),
  };
}

import type { App, LogDrain as DrainRecord, PlatformEvent } from '../../domain/index.js';
import { conflict, errorMessage, invalid, notFound } from '../../shared/errors.js';
import type { EventBus } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { redactUrl } from '../../shared/redact-url.js';
import type { Logger } from '../../shared/logger.js';
import { isoTime } from '../../shared/time.js';
import type { Store } from '../../store/index.js';
import type { LogBus } from '../bus.js';
import { createDrainOutlet, type DrainOutlet, type DrainOutletOptions } from './outlet.js';
import { openDrain, parseDrainUrl } from './registry.js';
import type { DrainDestinations } from './destination.js';
import type { DrainOptions } from './types.js';

/** Heroku's limit per app. */
export const MAX_DRAINS_PER_APP = 5;

export interface LogDrainsDeps {
  store: { drains: Store['drains'] } & Pick<Store, 'transaction'>;
  logs: Pick<LogBus, 'subscribe' | 'write'>;
  events: Pick<EventBus<PlatformEvent>, 'subscribe'>;
  logger: Logger;
  /** Where drains may send (checked when one is added and on every connect). */
  destinations: DrainDestinations;
  /** Transport settings for every drain (extra trusted CAs, timeouts). */
  drainOptions?: Omit<DrainOptions, 'token' | 'logger' | 'destinations'>;
  outletOptions?: Omit<DrainOutletOptions, 'logger' | 'onOverflow'>;
}

/**
 * An app's log drains: the records (API) and, for each, a running outlet fed
 * with every line the app logs. Drains are restored by `start()`, closed when
 * removed or when their app is destroyed, and flushed briefly by `stop()`.
 */
export function createLogDrains(deps: LogDrainsDeps) {
  const { store, logs, logger } = deps;
  const running = new Map<string, { appId: string; outlet: DrainOutlet; unsubscribe: () => void }>();
  const closing = new Set<Promise<void>>();

  const attach = (d: DrainRecord) => {
    const drainLogger = logger.child({ drainId: d.id });
    const drain = openDrain(parseDrainUrl(d.url), {
      ...deps.drainOptions, destinations: deps.destinations, token: d.token, logger: drainLogger,
    });
    // The L10 notice goes to the app's log too, but not back into the drain that already carries it.
    let muted = false;
    const outlet = createDrainOutlet(drain, {
      ...deps.outletOptions,
      logger: drainLogger,
      onOverflow: (n) => {
        muted = true;
        try {
          logs.write(d.appId, { source: n.source, process: n.process, message: n.message });
        } finally {
          muted = false;
        }
      },
    });
    const unsubscribe = logs.subscribe(d.appId, (e) => {
      if (!muted) outlet.offer(e);
    });
    running.set(d.id, { appId: d.appId, outlet, unsubscribe });
  };

  const detach = (drainId: string) => {
    const r = running.get(drainId);
    if (!r) return;
    running.delete(drainId);
    r.unsubscribe();
    const done = r.outlet.close().finally(() => closing.delete(done));
    closing.add(done);
  };

  const find = (app: App, idOrUrl: string): DrainRecord => {
    const d = store.drains.find(app.id, idOrUrl);
    if (!d) throw notFound('log drain', idOrUrl);
    return d;
  };

  return {
    list: (app: App): DrainRecord[] => store.drains.list(app.id),
    find,

    add(app: App, rawUrl: string): DrainRecord {
      const url = rawUrl.trim();
      deps.destinations.checkUrl(parseDrainUrl(url));
      const t = isoTime();
      const d: DrainRecord = { id: newId(), appId: app.id, url, token: `d.${newId()}`, createdAt: t, updatedAt: t };
      store.transaction(() => {
        const existing = store.drains.list(app.id);
        // Two URLs that differ only in credentials are the same drain (and one redacted row).
        if (existing.some((x) => redactUrl(x.url) === redactUrl(url))) throw conflict(`${app.name} already drains to ${redactUrl(url)}.`);
        if (existing.length >= MAX_DRAINS_PER_APP) {
          const most = `${MAX_DRAINS_PER_APP} log drains, the most an app may have`;
          throw invalid(`${app.name} already has ${most}; remove one with \`cupaas drains:remove\` first.`);
        }
        store.drains.insert(d);
      });
      attach(d);
      return d;
    },

    remove(app: App, idOrUrl: string): DrainRecord {
      const d = find(app, idOrUrl);
      store.drains.delete(d.id);
      detach(d.id);
      return d;
    },

    /** Starts every stored drain and follows app destruction. Returns the unsubscribe function. */
    start(): () => void {
      for (const d of store.drains.listAll()) {
        try {
          attach(d);
        } catch (e) {
          const fields = { drainId: d.id, error: errorMessage(e) };
          logger.warn('log drain not started: its URL is no longer accepted', fields);
        }
      }
      return deps.events.subscribe((e) => {
        if (e.type !== 'app.destroyed') return;
        for (const [id, r] of running) if (r.appId === e.appId) detach(id);
      });
    },

    /** Closes every drain, delivering what each holds within its close timeout. */
    async stop(): Promise<void> {
      for (const id of [...running.keys()]) detach(id);
      await Promise.all([...closing]);
    },
  };
}

export type LogDrains = ReturnType<typeof createLogDrains>;

import { resolveDynoSize } from '../config/index.js';
import type { App, DynoTarget, FormationIntent, PlatformEvent } from '../domain/index.js';
import { invalid, notFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Store } from '../store/index.js';
import { DEFAULT_DYNO_SIZE, defaultQuantity, formationFor, type FormationEntry } from './formation.js';

export interface FormationServiceDeps {
  store: Pick<Store, 'releases' | 'slugs' | 'formations' | 'restarts' | 'transaction'>;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
}

export interface FormationUpdate {
  type: string;
  /** A count, or a change of it as Heroku's CLI sends (`"+1"`, `"-1"`, `"3"`). */
  quantity?: number | string;
  size?: string;
}

/** Dynos one process type may have. */
export const MAX_QUANTITY = 100;

/** A number is absolute; only a string may be relative (`"+1"`, `"-1"`), as in Heroku's API. */
function resolveQuantity(q: number | string, current: number, type: string): number {
  if (typeof q === 'number' && !(Number.isInteger(q) && q >= 0)) {
    throw invalid(`Quantity for ${type} must be a whole number of 0 or more, got ${q}; to scale down by N send the string "-N".`);
  }
  const text = String(q).trim();
  if (!/^[+-]?\d+$/.test(text)) throw invalid(`Quantity for ${type} must be a whole number (or +N/-N), got "${q}".`);
  const n = typeof q === 'string' && /^[+-]/.test(text) ? current + Number(text) : Number(text);
  if (n < 0) throw invalid(`${type} cannot be scaled below 0 (it has ${current}).`);
  if (n > MAX_QUANTITY) throw invalid(`${type} cannot have more than ${MAX_QUANTITY} dynos.`);
  return n;
}

/**
 * Formation (desired quantity and size per process type) and restart
 * requests: the one owner of formation intent (deploys and the router ask it).
 * Records intent and publishes events; never touches dynos.
 */
export function createFormationService({ store, events }: FormationServiceDeps) {
  const slugOf = (appId: string) => {
    const release = store.releases.current(appId);
    return release?.slugId ? store.slugs.get(release.slugId) : undefined;
  };

  const list = (app: App): FormationEntry[] => {
    const slug = slugOf(app.id);
    return slug ? formationFor(app.id, slug.processTypes, store.formations.list(app.id), slug.createdAt) : [];
  };

  const known = (app: App, entries: readonly FormationEntry[]) =>
    entries.length
      ? `Known process types for ${app.name}: ${entries.map((e) => e.type).join(', ')}.`
      : `${app.name} has no process types yet: deploy code with a Procfile first.`;

  const intent: FormationIntent = {
    quantity(appId, type) {
      const row = store.formations.get(appId, type);
      if (row) return row.quantity;
      // Never scaled: Heroku's default, for a type the current slug declares at all.
      const slug = slugOf(appId);
      return slug && type in slug.processTypes ? defaultQuantity(type) : 0;
    },
    ensureProcessTypes(app, types, defaults) {
      for (const type of types) {
        // The release phase runs once per release, never as a formation.
        if (type === 'release' || store.formations.get(app.id, type)) continue;
        const f = store.formations.upsert(app.id, type, defaults[type] ?? {}, { quantity: defaultQuantity(type), size: DEFAULT_DYNO_SIZE });
        events.publish({ type: 'formation.changed', appId: app.id, processType: type, quantity: f.quantity, size: f.size });
      }
    },
  };

  return {
    ...intent,
    list,

    get(app: App, type: string): FormationEntry {
      const entry = list(app).find((e) => e.type === type || e.id === type);
      if (!entry) throw notFound('process type', type);
      return entry;
    },

    /** Applies every update or none; answers the updated entries. `by` says who asked, when not a user (the autoscaler). */
    update(app: App, updates: readonly FormationUpdate[], by?: string): FormationEntry[] {
      const entries = list(app);
      const changed = store.transaction(() =>
        updates.map((u) => {
          const cur = entries.find((e) => e.type === u.type);
          if (!cur) throw invalid(`No such process type "${u.type}". ${known(app, entries)}`);
          const quantity = u.quantity === undefined ? cur.quantity : resolveQuantity(u.quantity, cur.quantity, u.type);
          const size = u.size === undefined ? cur.size : resolveDynoSize(u.size);
          const row = store.formations.upsert(app.id, u.type, { quantity, size }, { quantity, size });
          return { ...cur, ...row, command: cur.command };
        }),
      );
      for (const f of changed) {
        events.publish({ type: 'formation.changed', appId: app.id, processType: f.type, quantity: f.quantity, size: f.size, ...(by ? { by } : {}) });
      }
      return changed;
    },

    /** Asks for the target's dynos to be replaced (also how a stopped formation dyno comes back). */
    restart(app: App, target: DynoTarget): void {
      const key = 'all' in target ? '' : 'processType' in target ? target.processType : target.dynoName;
      store.restarts.request(app.id, key);
      events.publish({ type: 'dyno.restart-requested', appId: app.id, target });
    },
  };
}

export type FormationService = ReturnType<typeof createFormationService>;

import { DYNO_SIZES } from '../config/index.js';
import type { App, DynoTarget, PlatformEvent } from '../domain/index.js';
import { invalid, notFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Store } from '../store/index.js';
import { formationFor, type FormationEntry } from './formation.js';

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

function resolveQuantity(q: number | string, current: number, type: string): number {
  const text = String(q).trim();
  if (!/^[+-]?\d+$/.test(text)) throw invalid(`Quantity for ${type} must be a whole number (or +N/-N), got "${q}".`);
  const n = /^[+-]/.test(text) ? current + Number(text) : Number(text);
  if (n < 0) throw invalid(`${type} cannot be scaled below 0 (it has ${current}).`);
  if (n > MAX_QUANTITY) throw invalid(`${type} cannot have more than ${MAX_QUANTITY} dynos.`);
  return n;
}

function resolveSize(size: string): string {
  const name = size.trim().toLowerCase();
  if (!DYNO_SIZES.some((s) => s.name === name)) {
    throw invalid(`Unknown dyno size "${size}". Use one of: ${DYNO_SIZES.map((s) => s.name).join(', ')}.`);
  }
  return name;
}

/**
 * Formation (desired quantity and size per process type) and restart
 * requests. Records intent and publishes events; never touches dynos.
 */
export function createFormationService({ store, events }: FormationServiceDeps) {
  const slugOf = (app: App) => {
    const release = store.releases.current(app.id);
    return release?.slugId ? store.slugs.get(release.slugId) : undefined;
  };

  const list = (app: App): FormationEntry[] => {
    const slug = slugOf(app);
    return slug ? formationFor(app.id, slug.processTypes, store.formations.list(app.id), slug.createdAt) : [];
  };

  const known = (app: App, entries: readonly FormationEntry[]) =>
    entries.length
      ? `Known process types for ${app.name}: ${entries.map((e) => e.type).join(', ')}.`
      : `${app.name} has no process types yet: deploy code with a Procfile first.`;

  return {
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
          const size = u.size === undefined ? cur.size : resolveSize(u.size);
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

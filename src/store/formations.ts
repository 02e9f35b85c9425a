import type { Formation } from '../domain/index.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { str, type Db, type Row } from './sql.js';

const toFormation = (r: Row): Formation => ({
  id: str(r.id),
  appId: str(r.app_id),
  type: str(r.type),
  quantity: r.quantity as number,
  size: str(r.size),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

/** Desired dyno counts and sizes per process type: the reconciler's input. */
export function createFormationStore(db: Db) {
  return {
    list(appId: string): Formation[] {
      return (db.prepare('SELECT * FROM formations WHERE app_id = ? ORDER BY type').all(appId) as Row[]).map(
        toFormation,
      );
    },
    listAll(): Formation[] {
      return (db.prepare('SELECT * FROM formations ORDER BY app_id, type').all() as Row[]).map(toFormation);
    },
    get(appId: string, type: string): Formation | undefined {
      const r = db.prepare('SELECT * FROM formations WHERE app_id = ? AND type = ?').get(appId, type) as
        | Row
        | undefined;
      return r && toFormation(r);
    },
    /** Creates the type if missing, else sets the given fields. */
    upsert(appId: string, type: string, fields: { quantity?: number; size?: string }, defaults: { quantity: number; size: string }): Formation {
      const cur = this.get(appId, type);
      const t = isoTime();
      if (!cur) {
        const f: Formation = {
          id: newId(), appId, type, quantity: fields.quantity ?? defaults.quantity,
          size: fields.size ?? defaults.size, createdAt: t, updatedAt: t,
        };
        db.prepare(
          'INSERT INTO formations (id, app_id, type, quantity, size, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(f.id, appId, type, f.quantity, f.size, t, t);
        return f;
      }
      const next = { ...cur, ...fields, updatedAt: t };
      db.prepare('UPDATE formations SET quantity = ?, size = ?, updated_at = ? WHERE id = ?').run(
        next.quantity, next.size, t, cur.id,
      );
      return next;
    },
    delete(appId: string, type: string): void {
      db.prepare('DELETE FROM formations WHERE app_id = ? AND type = ?').run(appId, type);
    },
  };
}

export type FormationStore = ReturnType<typeof createFormationStore>;

import type { LogDrain } from '../domain/index.js';
import { isUuid } from '../shared/ids.js';
import { str, type Db, type Row } from './sql.js';

const toDrain = (r: Row): LogDrain => ({
  id: str(r.id),
  appId: str(r.app_id),
  url: str(r.url),
  token: str(r.token),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export function createDrainStore(db: Db) {
  return {
    insert(d: LogDrain): void {
      db.prepare(
        'INSERT INTO log_drains (id, app_id, url, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(d.id, d.appId, d.url, d.token, d.createdAt, d.updatedAt);
    },
    list(appId: string): LogDrain[] {
      return (db.prepare('SELECT * FROM log_drains WHERE app_id = ? ORDER BY created_at').all(appId) as Row[]).map(
        toDrain,
      );
    },
    listAll(): LogDrain[] {
      return (db.prepare('SELECT * FROM log_drains').all() as Row[]).map(toDrain);
    },
    find(appId: string, idOrUrl: string): LogDrain | undefined {
      const col = isUuid(idOrUrl) ? 'id' : 'url';
      const r = db.prepare(`SELECT * FROM log_drains WHERE app_id = ? AND ${col} = ?`).get(appId, idOrUrl) as
        | Row
        | undefined;
      return r && toDrain(r);
    },
    delete(id: string): void {
      db.prepare('DELETE FROM log_drains WHERE id = ?').run(id);
    },
  };
}

export type DrainStore = ReturnType<typeof createDrainStore>;

import type { AppDomain } from '../domain/index.js';
import { isUuid } from '../shared/ids.js';
import { str, type Db, type Row } from './sql.js';

const toDomain = (r: Row): AppDomain => ({
  id: str(r.id),
  appId: str(r.app_id),
  hostname: str(r.hostname),
  kind: r.kind as AppDomain['kind'],
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export function createDomainStore(db: Db) {
  return {
    insert(d: AppDomain): void {
      db.prepare(
        'INSERT INTO domains (id, app_id, hostname, kind, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(d.id, d.appId, d.hostname, d.kind, d.createdAt, d.updatedAt);
    },
    list(appId: string): AppDomain[] {
      return (db.prepare('SELECT * FROM domains WHERE app_id = ? ORDER BY hostname').all(appId) as Row[]).map(
        toDomain,
      );
    },
    listAll(): AppDomain[] {
      return (db.prepare('SELECT * FROM domains').all() as Row[]).map(toDomain);
    },
    find(appId: string, idOrHostname: string): AppDomain | undefined {
      const col = isUuid(idOrHostname) ? 'id' : 'hostname';
      const r = db.prepare(`SELECT * FROM domains WHERE app_id = ? AND ${col} = ?`).get(appId, idOrHostname) as
        | Row
        | undefined;
      return r && toDomain(r);
    },
    hostnameTaken(hostname: string): boolean {
      return db.prepare('SELECT 1 FROM domains WHERE hostname = ?').get(hostname) !== undefined;
    },
    delete(id: string): void {
      db.prepare('DELETE FROM domains WHERE id = ?').run(id);
    },
  };
}

export type DomainStore = ReturnType<typeof createDomainStore>;

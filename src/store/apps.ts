import type { App } from '../domain/index.js';
import { isUuid } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { str, strOrNull, type Db, type Row } from './sql.js';

const toApp = (r: Row): App => ({
  id: str(r.id),
  name: str(r.name),
  ownerId: str(r.owner_id),
  teamId: strOrNull(r.team_id),
  deployBranch: str(r.deploy_branch),
  maintenance: r.maintenance === 1,
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export interface AppPatch {
  name?: string;
  deployBranch?: string;
  maintenance?: boolean;
}

export function createAppStore(db: Db) {
  return {
    insert(app: App): void {
      db.prepare(
        `INSERT INTO apps (id, name, owner_id, team_id, deploy_branch, maintenance, created_at, updated_at)
         VALUES (@id, @name, @ownerId, @teamId, @deployBranch, @maintenance, @createdAt, @updatedAt)`,
      ).run({ ...app, maintenance: app.maintenance ? 1 : 0 });
    },
    /** By id or by name, as every `{app}` in the API path may be either. */
    find(idOrName: string): App | undefined {
      const col = isUuid(idOrName) ? 'id' : 'name';
      const r = db.prepare(`SELECT * FROM apps WHERE ${col} = ?`).get(idOrName) as Row | undefined;
      return r && toApp(r);
    },
    list(): App[] {
      return (db.prepare('SELECT * FROM apps ORDER BY name').all() as Row[]).map(toApp);
    },
    nameTaken(name: string): boolean {
      return db.prepare('SELECT 1 FROM apps WHERE name = ?').get(name) !== undefined;
    },
    update(id: string, patch: AppPatch): App {
      const cur = db.prepare('SELECT * FROM apps WHERE id = ?').get(id) as Row;
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const next = { ...toApp(cur), ...defined, updatedAt: isoTime() };
      db.prepare(
        `UPDATE apps SET name = @name, deploy_branch = @deployBranch, maintenance = @maintenance,
         updated_at = @updatedAt WHERE id = @id`,
      ).run({ ...next, maintenance: next.maintenance ? 1 : 0 });
      return next;
    },
    delete(id: string): void {
      db.prepare('DELETE FROM apps WHERE id = ?').run(id);
    },
  };
}

export type AppStore = ReturnType<typeof createAppStore>;

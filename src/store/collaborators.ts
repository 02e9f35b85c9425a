import type { AppRole, Collaborator } from '../domain/index.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { str, type Db, type Row } from './sql.js';

const toCollaborator = (r: Row): Collaborator => ({
  id: str(r.id),
  appId: str(r.app_id),
  userId: str(r.user_id),
  email: str(r.email),
  role: str(r.role) as AppRole,
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

const SELECT = 'SELECT c.*, u.email FROM collaborators c JOIN users u ON u.id = c.user_id';

/** Users granted a role on one app (Heroku's collaborators). */
export function createCollaboratorStore(db: Db) {
  return {
    list(appId: string): Collaborator[] {
      return (db.prepare(`${SELECT} WHERE c.app_id = ? ORDER BY u.email`).all(appId) as Row[]).map(toCollaborator);
    },
    roleOf(appId: string, userId: string): AppRole | null {
      const r = db.prepare('SELECT role FROM collaborators WHERE app_id = ? AND user_id = ?').get(appId, userId) as Row | undefined;
      return r ? (str(r.role) as AppRole) : null;
    },
    /** Adds the collaborator or changes their role. */
    put(appId: string, userId: string, role: AppRole): Collaborator {
      const t = isoTime();
      db.prepare(
        `INSERT INTO collaborators (id, app_id, user_id, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (app_id, user_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`,
      ).run(newId(), appId, userId, role, t, t);
      return toCollaborator(db.prepare(`${SELECT} WHERE c.app_id = ? AND c.user_id = ?`).get(appId, userId) as Row);
    },
    remove(appId: string, userId: string): boolean {
      return db.prepare('DELETE FROM collaborators WHERE app_id = ? AND user_id = ?').run(appId, userId).changes > 0;
    },
  };
}

export type CollaboratorStore = ReturnType<typeof createCollaboratorStore>;

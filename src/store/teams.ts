import type { AppRole, Team, TeamMember } from '../domain/index.js';
import { isUuid, newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { str, type Db, type Row } from './sql.js';

const toTeam = (r: Row): Team => ({ id: str(r.id), name: str(r.name), createdAt: str(r.created_at), updatedAt: str(r.updated_at) });

const toMember = (r: Row): TeamMember => ({
  teamId: str(r.team_id),
  userId: str(r.user_id),
  email: str(r.email),
  role: str(r.role) as AppRole,
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

const MEMBER_SELECT = 'SELECT m.*, u.email FROM team_members m JOIN users u ON u.id = m.user_id';

/** Teams and their members' roles. */
export function createTeamStore(db: Db) {
  return {
    insert(name: string): Team {
      const t = isoTime();
      const team: Team = { id: newId(), name, createdAt: t, updatedAt: t };
      db.prepare('INSERT INTO teams (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)').run(team.id, name, t, t);
      return team;
    },
    find(idOrName: string): Team | undefined {
      const col = isUuid(idOrName) ? 'id' : 'name';
      const r = db.prepare(`SELECT * FROM teams WHERE ${col} = ?`).get(idOrName) as Row | undefined;
      return r && toTeam(r);
    },
    list(): Team[] {
      return (db.prepare('SELECT * FROM teams ORDER BY name').all() as Row[]).map(toTeam);
    },
    delete(id: string): void {
      db.prepare('DELETE FROM teams WHERE id = ?').run(id);
    },
    members(teamId: string): TeamMember[] {
      return (db.prepare(`${MEMBER_SELECT} WHERE m.team_id = ? ORDER BY u.email`).all(teamId) as Row[]).map(toMember);
    },
    /** The user's role in the team, or null when they are not a member. */
    roleOf(teamId: string, userId: string): AppRole | null {
      const r = db.prepare('SELECT role FROM team_members WHERE team_id = ? AND user_id = ?').get(teamId, userId) as Row | undefined;
      return r ? (str(r.role) as AppRole) : null;
    },
    /** Adds the member or changes their role. */
    putMember(teamId: string, userId: string, role: AppRole): TeamMember {
      const t = isoTime();
      db.prepare(
        `INSERT INTO team_members (team_id, user_id, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`,
      ).run(teamId, userId, role, t, t);
      return toMember(db.prepare(`${MEMBER_SELECT} WHERE m.team_id = ? AND m.user_id = ?`).get(teamId, userId) as Row);
    },
    removeMember(teamId: string, userId: string): boolean {
      return db.prepare('DELETE FROM team_members WHERE team_id = ? AND user_id = ?').run(teamId, userId).changes > 0;
    },
  };
}

export type TeamStore = ReturnType<typeof createTeamStore>;

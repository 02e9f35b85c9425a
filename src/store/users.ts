import { createHash } from 'node:crypto';
import type { Authorization, PlatformRole, User } from '../domain/index.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { str, strOrNull, type Db, type Row } from './sql.js';

const toUser = (r: Row): User => ({
  id: str(r.id),
  email: str(r.email),
  name: str(r.name),
  role: str(r.role) as PlatformRole,
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

const toAuthorization = (r: Row): Authorization => ({
  id: str(r.id),
  userId: str(r.user_id),
  description: str(r.description),
  createdAt: str(r.created_at),
  expiresAt: strOrNull(r.expires_at),
});

/** Tokens and invitation codes are high-entropy secrets: a plain SHA-256 digest is enough to store them. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * Users, their password hashes, invitation codes and API keys (Heroku's OAuth
 * authorizations). Keys and codes are stored only as SHA-256 digests, looked
 * up by digest (an index lookup, not a comparison an attacker can time).
 */
export function createUserStore(db: Db) {
  const touch = (id: string) => db.prepare('UPDATE users SET updated_at = ? WHERE id = ?').run(isoTime(), id);
  return {
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },
    create(email: string, name: string, role: PlatformRole = 'member'): User {
      const t = isoTime();
      const user: User = { id: newId(), email, name, role, createdAt: t, updatedAt: t };
      db.prepare('INSERT INTO users (id, email, name, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        user.id, email, name, role, t, t,
      );
      return user;
    },
    get(id: string): User | undefined {
      const r = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
      return r && toUser(r);
    },
    /** By id or email (emails compare case-insensitively, as addresses do). */
    find(idOrEmail: string): User | undefined {
      const r = db.prepare('SELECT * FROM users WHERE id = ? OR lower(email) = lower(?)').get(idOrEmail, idOrEmail) as
        | Row
        | undefined;
      return r && toUser(r);
    },
    list(): User[] {
      return (db.prepare('SELECT * FROM users ORDER BY email').all() as Row[]).map(toUser);
    },
    setRole(id: string, role: PlatformRole): void {
      db.prepare('UPDATE users SET role = ?, updated_at = ? WHERE id = ?').run(role, isoTime(), id);
    },
    delete(id: string): void {
      db.prepare('DELETE FROM users WHERE id = ?').run(id);
    },
    passwordHash(id: string): string | null {
      const r = db.prepare('SELECT password_hash FROM users WHERE id = ?').get(id) as Row | undefined;
      return r ? strOrNull(r.password_hash) : null;
    },
    /** Sets the password hash and spends any open invitation. */
    setPasswordHash(id: string, hash: string): void {
      db.prepare('UPDATE users SET password_hash = ?, invitation_hash = NULL, invitation_expires_at = NULL WHERE id = ?').run(hash, id);
      touch(id);
    },
    setInvitation(id: string, code: string, expiresAt: string): void {
      db.prepare('UPDATE users SET invitation_hash = ?, invitation_expires_at = ? WHERE id = ?').run(hashKey(code), expiresAt, id);
    },
    /** The user an unexpired invitation code belongs to. */
    findByInvitation(code: string, now: string): User | undefined {
      const r = db
        .prepare('SELECT * FROM users WHERE invitation_hash = ? AND invitation_expires_at > ?')
        .get(hashKey(code), now) as Row | undefined;
      return r && toUser(r);
    },
    addApiKey(userId: string, key: string, description: string, expiresAt: string | null = null): Authorization {
      const a: Authorization = { id: newId(), userId, description, createdAt: isoTime(), expiresAt };
      db.prepare(
        'INSERT INTO api_keys (id, user_id, key_hash, description, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(a.id, userId, hashKey(key), description, a.createdAt, expiresAt);
      return a;
    },
    /** The owner of an unexpired key, and which authorization it is. */
    findByApiKey(key: string, now: string = isoTime()): { user: User; authorization: Authorization } | undefined {
      const r = db
        .prepare(
          `SELECT u.*, k.id AS k_id, k.description AS k_description, k.created_at AS k_created_at, k.expires_at AS k_expires_at
           FROM users u JOIN api_keys k ON k.user_id = u.id
           WHERE k.key_hash = ? AND (k.expires_at IS NULL OR k.expires_at > ?)`,
        )
        .get(hashKey(key), now) as Row | undefined;
      if (!r) return undefined;
      return {
        user: toUser(r),
        authorization: toAuthorization({ id: r.k_id, user_id: r.id, description: r.k_description, created_at: r.k_created_at, expires_at: r.k_expires_at }),
      };
    },
    /** Whether an authorization still exists and has not expired (log sessions re-check it while streaming). */
    authorizationValid(id: string, now: string = isoTime()): boolean {
      return db.prepare('SELECT 1 FROM api_keys WHERE id = ? AND (expires_at IS NULL OR expires_at > ?)').get(id, now) !== undefined;
    },
    authorizations(userId: string): Authorization[] {
      return (db.prepare('SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at').all(userId) as Row[]).map(toAuthorization);
    },
    revokeAuthorization(userId: string, id: string): boolean {
      return db.prepare('DELETE FROM api_keys WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
    },
    revokeAllAuthorizations(userId: string): void {
      db.prepare('DELETE FROM api_keys WHERE user_id = ?').run(userId);
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;

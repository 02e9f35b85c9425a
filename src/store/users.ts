import { createHash } from 'node:crypto';
import type { User } from '../domain/index.js';
import { newId } from '../shared/ids.js';
import { nowIso, str, type Db, type Row } from './sql.js';

const toUser = (r: Row): User => ({
  id: str(r.id),
  email: str(r.email),
  name: str(r.name),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Users and their API keys. Keys are stored only as SHA-256 digests. */
export function createUserStore(db: Db) {
  return {
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
    },
    create(email: string, name: string): User {
      const t = nowIso();
      const user = { id: newId(), email, name, createdAt: t, updatedAt: t };
      db.prepare('INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
        user.id, email, name, t, t,
      );
      return user;
    },
    get(id: string): User | undefined {
      const r = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
      return r && toUser(r);
    },
    addApiKey(userId: string, key: string, description: string): void {
      db.prepare(
        'INSERT INTO api_keys (id, user_id, key_hash, description, created_at) VALUES (?, ?, ?, ?, ?)',
      ).run(newId(), userId, hashKey(key), description, nowIso());
    },
    findByApiKey(key: string): User | undefined {
      const r = db
        .prepare('SELECT u.* FROM users u JOIN api_keys k ON k.user_id = u.id WHERE k.key_hash = ?')
        .get(hashKey(key)) as Row | undefined;
      return r && toUser(r);
    },
  };
}

export type UserStore = ReturnType<typeof createUserStore>;

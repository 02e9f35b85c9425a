import type Database from 'better-sqlite3';
import { isoTime } from '../shared/time.js';
import type { Migration } from './migrations/index.js';

/**
 * Applies each migration not yet recorded, each in its own transaction, so a
 * crash mid-way leaves the database at the last complete step.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: number }[]).map((r) => r.id),
  );
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...applied].filter((id) => !known.has(id));
  if (unknown.length) {
    throw new Error(
      `The database has schema migrations ${unknown.join(', ')} that this version of cupaas does not know; ` +
        'run a newer cupaas or restore a backup of the state directory.',
    );
  }
  const ran: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.id - b.id)) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      db.exec(m.up);
      db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)').run(
        m.id,
        m.name,
        isoTime(),
      );
    })();
    ran.push(m.id);
  }
  return ran;
}

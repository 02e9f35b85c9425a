import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cachingStatements } from './sql.js';

/** A real in-memory database that counts the statements it compiles. */
function countingDb(): { db: Database.Database; compiled: () => number } {
  const db = new Database(':memory:');
  const prepare = db.prepare.bind(db);
  let compiled = 0;
  db.prepare = ((source: string) => (compiled++, prepare(source))) as typeof db.prepare;
  return { db, compiled: () => compiled };
}

describe('cachingStatements', () => {
  it('compiles each SQL text once and runs it again with other parameters', () => {
    const { db, compiled } = countingDb();
    const sql = cachingStatements(db);
    sql.prepare('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)').run();
    for (let i = 0; i < 5; i++) sql.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(`k${i}`, i);
    const read = (k: string) => (sql.prepare('SELECT v FROM t WHERE k = ?').get(k) as { v: number } | undefined)?.v;
    assert.deepEqual(['k0', 'k3', 'k4', 'none'].map(read), [0, 3, 4, undefined]);
    assert.equal(compiled(), 3);
    // Inside a transaction too, and a rolled-back one leaves the statements usable.
    assert.throws(() => sql.transaction(() => {
      sql.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run('k9', 9);
      throw new Error('abort');
    })(), /abort/);
    assert.equal(read('k9'), undefined);
    assert.equal(compiled(), 3);
    db.close();
  });

  it('keeps at most `max` statements, dropping the least recently used', () => {
    const { db, compiled } = countingDb();
    const sql = cachingStatements(db, 3);
    const run = (n: number) => sql.prepare(`SELECT ${n} AS n`).get();
    [1, 2, 3].forEach(run);
    run(1); // now the most recent: 2 is the one to go
    run(4);
    assert.equal(compiled(), 4);
    run(1);
    run(3);
    assert.equal(compiled(), 4);
    run(2);
    assert.equal(compiled(), 5);
    db.close();
  });
});

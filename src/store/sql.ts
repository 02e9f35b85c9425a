import type Database from 'better-sqlite3';

/** The database as the stores use it: statements (prepared once per SQL text, see `cachingStatements`) and transactions. */
export type Db = Pick<Database.Database, 'prepare' | 'transaction'>;

/** Statements kept by default; past it the least recently used goes (SQL built from column lists makes a few variants of a query). */
const MAX_STATEMENTS = 256;

/**
 * The database with its statements kept by SQL text. Compiling a statement
 * costs several times what running a simple one does (better-sqlite3 on this
 * schema: ~11 µs to prepare, ~2 µs to look an app up by id), and the stores
 * name their SQL inline, so without this every query compiled its SQL again.
 * Reuse is safe: better-sqlite3 runs a statement to completion inside each
 * `get`/`all`/`run` call, and none of the stores iterates one or changes its mode.
 */
export function cachingStatements(db: Database.Database, max = MAX_STATEMENTS): Db {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (statement) {
      // Most recently used last, so the first entry is the one to drop.
      statements.delete(sql);
    } else {
      statement = db.prepare(sql);
      if (statements.size >= max) statements.delete(statements.keys().next().value as string);
    }
    statements.set(sql, statement);
    return statement;
  };
  return { prepare: prepare as Db['prepare'], transaction: db.transaction.bind(db) as Db['transaction'] };
}
export type Row = Record<string, unknown>;

export const str = (v: unknown): string => v as string;
export const strOrNull = (v: unknown): string | null => (v == null ? null : (v as string));
export const json = <T>(v: unknown): T => JSON.parse(v as string) as T;

/** Builds `SET a = @a, b = @b` for the given column keys. */
export function setClause(columns: readonly string[]): string {
  return columns.map((c) => `${c} = @${c}`).join(', ');
}

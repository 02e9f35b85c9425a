import type Database from 'better-sqlite3';
import { isoTime } from '../shared/time.js';

export type Db = Database.Database;
export type Row = Record<string, unknown>;

export const nowIso = (): string => isoTime();

export const str = (v: unknown): string => v as string;
export const strOrNull = (v: unknown): string | null => (v == null ? null : (v as string));
export const json = <T>(v: unknown): T => JSON.parse(v as string) as T;

/** Builds `SET a = @a, b = @b` for the given column keys. */
export function setClause(columns: readonly string[]): string {
  return columns.map((c) => `${c} = @${c}`).join(', ');
}

import { json, str, type Db, type Row } from './sql.js';

export interface MetricMinuteRow<T> {
  appId: string;
  processType: string;
  /** Epoch ms of the minute's start. */
  minute: number;
  data: T;
}

/** Per-minute metric records; the caller decides what `data` holds and how long rows live. */
export function createMetricStore(db: Db) {
  return {
    /** Writes (or replaces) the minutes in one transaction. */
    put(rows: readonly MetricMinuteRow<unknown>[]): void {
      const stmt = db.prepare(
        `INSERT INTO metric_minutes (app_id, process_type, minute, data) VALUES (?, ?, ?, ?)
         ON CONFLICT(app_id, process_type, minute) DO UPDATE SET data = excluded.data`,
      );
      db.transaction(() => {
        // An app destroyed during the minute has no row to refer to any more.
        for (const r of rows) if (db.prepare('SELECT 1 FROM apps WHERE id = ?').get(r.appId)) stmt.run(r.appId, r.processType, r.minute, JSON.stringify(r.data));
      })();
    },
    list<T>(appId: string, sinceMinute: number): MetricMinuteRow<T>[] {
      const rows = db
        .prepare('SELECT * FROM metric_minutes WHERE app_id = ? AND minute >= ? ORDER BY minute, process_type')
        .all(appId, sinceMinute) as Row[];
      return rows.map((r) => ({ appId: str(r.app_id), processType: str(r.process_type), minute: r.minute as number, data: json<T>(r.data) }));
    },
    /** Deletes minutes older than `beforeMinute`; returns how many. */
    prune(beforeMinute: number): number {
      return db.prepare('DELETE FROM metric_minutes WHERE minute < ?').run(beforeMinute).changes;
    },
  };
}

export type MetricStore = ReturnType<typeof createMetricStore>;

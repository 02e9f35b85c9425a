import { isoTime } from '../shared/time.js';
import { str, type Db, type Row } from './sql.js';

export interface RestartRequest {
  appId: string;
  /** '' for every dyno, a process type, or a dyno name (`web.1`). */
  target: string;
  requestedAt: string;
}

const toRequest = (r: Row): RestartRequest => ({
  appId: str(r.app_id),
  target: str(r.target),
  requestedAt: str(r.requested_at),
});

/** The newest restart request per app and target; the reconciler replaces dynos started before it. */
export function createRestartStore(db: Db) {
  return {
    request(appId: string, target: string): RestartRequest {
      const r: RestartRequest = { appId, target, requestedAt: isoTime() };
      db.prepare(
        `INSERT INTO dyno_restarts (app_id, target, requested_at) VALUES (?, ?, ?)
         ON CONFLICT(app_id, target) DO UPDATE SET requested_at = excluded.requested_at`,
      ).run(appId, target, r.requestedAt);
      return r;
    },
    list(appId: string): RestartRequest[] {
      return (db.prepare('SELECT * FROM dyno_restarts WHERE app_id = ?').all(appId) as Row[]).map(toRequest);
    },
  };
}

export type RestartStore = ReturnType<typeof createRestartStore>;

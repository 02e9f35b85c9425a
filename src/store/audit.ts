import type { AuditEvent, AuditSource } from '../domain/index.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { str, strOrNull, type Db, type Row } from './sql.js';

const toEvent = (r: Row): AuditEvent => ({
  id: str(r.id),
  createdAt: str(r.created_at),
  userId: strOrNull(r.user_id),
  userEmail: strOrNull(r.user_email),
  appId: strOrNull(r.app_id),
  appName: strOrNull(r.app_name),
  action: str(r.action),
  detail: strOrNull(r.detail),
  status: r.status as number,
  source: str(r.source) as AuditSource,
  address: strOrNull(r.address),
});

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'createdAt'>;

export interface AuditQuery {
  /** Only events of these apps, or of these users; both unset: every event. */
  appIds?: readonly string[];
  userIds?: readonly string[];
  limit: number;
}

/** The audit trail: append-only, newest read first. */
export function createAuditStore(db: Db) {
  return {
    append(e: NewAuditEvent): AuditEvent {
      const event: AuditEvent = { ...e, id: newId(), createdAt: isoTime() };
      db.prepare(
        `INSERT INTO audit_events (id, created_at, user_id, user_email, app_id, app_name, action, detail, status, source, address)
         VALUES (@id, @createdAt, @userId, @userEmail, @appId, @appName, @action, @detail, @status, @source, @address)`,
      ).run(event);
      return event;
    },
    /** Newest first. With both filters, events matching either. */
    list(q: AuditQuery): AuditEvent[] {
      const where: string[] = [];
      const args: unknown[] = [];
      if (q.appIds) {
        where.push(`app_id IN (${q.appIds.map(() => '?').join(', ') || 'NULL'})`);
        args.push(...q.appIds);
      }
      if (q.userIds) {
        where.push(`user_id IN (${q.userIds.map(() => '?').join(', ') || 'NULL'})`);
        args.push(...q.userIds);
      }
      const sql = `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' OR ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return (db.prepare(sql).all(...args, q.limit) as Row[]).map(toEvent);
    },
  };
}

export type AuditStore = ReturnType<typeof createAuditStore>;

import * as z from 'zod';
import type { AuditEvent } from '../../domain/index.js';
import { invalid } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { describeIssues, type Route } from '../http/index.js';
import { appFor } from './app-access.js';

const Limit = z.coerce.number().int().min(1).max(1000).default(100);

const eventJson = (e: AuditEvent) => ({
  id: e.id,
  created_at: e.createdAt,
  user: e.userId ? { id: e.userId, email: e.userEmail } : null,
  app: e.appId ? { id: e.appId, name: e.appName } : null,
  action: e.action,
  detail: e.detail,
  status: e.status,
  source: e.source,
  address: e.address,
});

/**
 * The audit trail, newest first. Platform admins read all of it; others read
 * the events of the apps they may read and their own.
 */
export function auditRoutes(ctx: Pick<ApiContext, 'store' | 'access'>): Route[] {
  const limit = (q: URLSearchParams): number => {
    const parsed = Limit.safeParse(q.get('limit') ?? undefined);
    if (!parsed.success) throw invalid(`limit: ${describeIssues(parsed.error)}`);
    return parsed.data;
  };
  return [
    {
      method: 'GET',
      path: '/audit-events',
      access: 'user',
      handler: async (req) => {
        return { body: ctx.store.audit.list({ ...ctx.access.auditScope(req.user), limit: limit(req.query) }).map(eventJson) };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/audit-events',
      access: 'app:read',
      handler: async (req) => ({ body: ctx.store.audit.list({ appIds: [appFor(req).id], limit: limit(req.query) }).map(eventJson) }),
    },
  ];
}

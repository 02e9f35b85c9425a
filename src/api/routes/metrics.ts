import * as z from 'zod';
import type { MetricsInfo } from '../../domain/index.js';
import { MINUTE_MS } from '../../metrics/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { describeIssues, type Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

const Query = z.lazy(() => z.strictObject({
  /** How far back, in minutes (at most the 24 h kept). */
  minutes: z.coerce.number().int().min(1).max(24 * 60).default(60),
  process_type: z.string().min(1).optional(),
}));

/** Per-app metrics (JSON) and the Prometheus exposition of the whole platform. */
export function metricsRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/metrics',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const q = Query.safeParse(Object.fromEntries(req.query));
        if (!q.success) throw new PlatformError('invalid_params', describeIssues(q.error));
        const since = Date.now() - q.data.minutes * MINUTE_MS;
        const body: MetricsInfo = {
          app: appRef(app),
          resolution_seconds: MINUTE_MS / 1000,
          points: ctx.metrics.series(app.id, since, q.data.process_type),
        };
        return { body };
      },
    },
    {
      // Prometheus scrapes with `authorization: { credentials: TOKEN }` of a platform admin: labels name every app.
      method: 'GET',
      path: '/metrics',
      access: 'platform-admin',
      raw: true,
      handler: async (_req, res) => {
        const { contentType, text } = await ctx.metrics.prometheus.exposition();
        res.writeHead(200, { 'Content-Type': contentType }).end(text);
        return 'streamed';
      },
    },
  ];
}

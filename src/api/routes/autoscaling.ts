import * as z from 'zod';
import type { App, AutoscalingInfo } from '../../domain/index.js';
import { isoTime } from '../../shared/time.js';
import type { AutoscalingPolicy } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

const Policy = z.lazy(() => z.strictObject({
  enabled: z.boolean(),
  min_quantity: z.number().int(),
  max_quantity: z.number().int(),
  p95_target_ms: z.number().int(),
}));

const json = (type: string, p: AutoscalingPolicy | undefined): AutoscalingInfo => ({
  process_type: type,
  enabled: p?.enabled ?? false,
  min_quantity: p?.minQuantity ?? 1,
  max_quantity: p?.maxQuantity ?? 1,
  p95_target_ms: p?.p95TargetMs ?? 500,
  last_scaled_at: p?.lastScaledAt ?? null,
  updated_at: p?.updatedAt ?? isoTime(0),
});

/** Response-time autoscaling of a process type (Heroku's "Performance" autoscaling). */
export function autoscalingRoutes(ctx: ApiContext): Route[] {
  const typeOf = (app: App, raw: string) => ctx.formation.get(app, raw).type;
  return [
    {
      method: 'GET',
      path: '/apps/:app/formation/:type/autoscaling',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const type = typeOf(app, req.params.type as string);
        return { body: json(type, ctx.autoscaler.get(app, type)) };
      },
    },
    {
      method: 'PUT',
      path: '/apps/:app/formation/:type/autoscaling',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const type = typeOf(app, req.params.type as string);
        const b = await req.body(Policy);
        const p = ctx.autoscaler.set(app, type, {
          enabled: b.enabled, minQuantity: b.min_quantity, maxQuantity: b.max_quantity, p95TargetMs: b.p95_target_ms,
        });
        return { body: json(type, p) };
      },
    },
  ];
}

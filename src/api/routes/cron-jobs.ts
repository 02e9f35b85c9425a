import * as z from 'zod';
import type { App } from '../../domain/index.js';
import type { CronJob } from '../../store/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

const CreateJob = z.lazy(() => z.strictObject({
  schedule: z.string().min(1, 'schedule is required, e.g. "*/10 * * * *"'),
  command: z.string().min(1, 'command is required').max(64 * 1024),
  size: z.string().optional(),
}));

const jobJson = (j: CronJob, app: App) => ({
  id: j.id,
  schedule: j.schedule,
  command: j.command,
  size: j.size,
  source: j.source,
  last_run_at: j.lastRunAt,
  app: appRef(app),
  created_at: j.createdAt,
});

/** `/apps/{app}/cron-jobs`: scheduled jobs (cupaas; Heroku has them as the Scheduler add-on). */
export function cronJobRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/cron-jobs',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { body: ctx.scheduler.list(app).map((j) => jobJson(j, app)) };
      },
    },
    {
      method: 'POST',
      path: '/apps/:app/cron-jobs',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(CreateJob);
        return { status: 201, body: jobJson(ctx.scheduler.add(app, body), app) };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app/cron-jobs/:id',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        ctx.scheduler.remove(app, req.params.id as string);
        return { body: {} };
      },
    },
  ];
}

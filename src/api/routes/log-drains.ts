import { z } from 'zod';
import type { App, LogDrain } from '../../domain/index.js';
import type { ApiContext } from '../context.js';
import { paginate, type Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

const AddDrain = z.strictObject({ url: z.string().min(1).max(2048) });

const drainJson = (app: App) => (d: LogDrain) => ({
  id: d.id,
  url: d.url,
  token: d.token,
  addon: null,
  app: appRef(app),
  created_at: d.createdAt,
  updated_at: d.updatedAt,
});

/** Log drains: `/apps/{app}/log-drains`, addressed by id or URL. */
export function logDrainRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/log-drains',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const fields = { id: (d: LogDrain) => d.id, url: (d: LogDrain) => d.url };
        return paginate(ctx.logDrains.list(app), req.headers.range, fields, 'id', drainJson(app));
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/log-drains/:drain',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        return { body: drainJson(app)(ctx.logDrains.find(app, req.params.drain as string)) };
      },
    },
    {
      method: 'POST',
      path: '/apps/:app/log-drains',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const body = await req.body(AddDrain);
        return { status: 201, body: drainJson(app)(ctx.logDrains.add(app, body.url)) };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app/log-drains/:drain',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        return { body: drainJson(app)(ctx.logDrains.remove(app, req.params.drain as string)) };
      },
    },
  ];
}

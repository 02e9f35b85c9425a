import { z } from 'zod';
import type { App, AppDomain } from '../../domain/index.js';
import type { ApiContext } from '../context.js';
import { paginate, type Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

const AddDomain = z.strictObject({
  hostname: z.string().min(1),
  // Heroku's CLI sends these; cupaas serves plain HTTP and has no SNI endpoints.
  sni_endpoint: z.string().nullable().optional(),
});

function domainJson(d: AppDomain, app: App, cname: string) {
  return {
    id: d.id,
    hostname: d.hostname,
    kind: d.kind,
    cname: d.kind === 'custom' ? cname : null,
    status: 'succeeded',
    acm_status: null,
    acm_status_reason: null,
    sni_endpoint: null,
    app: appRef(app),
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

export function domainRoutes(ctx: ApiContext): Route[] {
  const shape = (app: App) => (d: AppDomain) => domainJson(d, app, ctx.domains.defaultHostname(app));
  return [
    {
      method: 'GET',
      path: '/apps/:app/domains',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const fields = { id: (d: AppDomain) => d.id, hostname: (d: AppDomain) => d.hostname };
        return paginate(ctx.domains.list(app), req.headers.range, fields, 'hostname', shape(app));
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/domains/:domain',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        return { body: shape(app)(ctx.domains.find(app, req.params.domain as string)) };
      },
    },
    {
      method: 'POST',
      path: '/apps/:app/domains',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const body = await req.body(AddDomain);
        return { status: 201, body: shape(app)(ctx.domains.add(app, body.hostname)) };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app/domains/:domain',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        return { body: shape(app)(ctx.domains.remove(app, req.params.domain as string)) };
      },
    },
  ];
}

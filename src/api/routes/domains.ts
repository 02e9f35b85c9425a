import { z } from 'zod';
import type { App, AppDomain } from '../../domain/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appCollectionRoutes } from './app-collection.js';

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

/** Domains: `/apps/{app}/domains`, addressed by id or hostname; the default hostname is listed, not stored. */
export function domainRoutes(ctx: ApiContext): Route[] {
  return appCollectionRoutes(ctx, {
    name: 'domains',
    fields: { id: (d: AppDomain) => d.id, hostname: (d: AppDomain) => d.hostname },
    defaultField: 'hostname',
    addBody: AddDomain,
    list: (app) => ctx.domains.list(app),
    find: (app, key) => ctx.domains.find(app, key),
    add: (app, body) => ctx.domains.add(app, body.hostname),
    remove: (app, key) => ctx.domains.remove(app, key),
    shape: (app) => (d) => domainJson(d, app, ctx.domains.defaultHostname(app)),
  });
}

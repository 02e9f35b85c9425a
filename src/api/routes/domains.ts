import { z } from 'zod';
import type { App, AppDomain } from '../../domain/index.js';
import { certificateFor, tlsCertificate } from '../../router/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appCollectionRoutes } from './app-collection.js';

const AddDomain = z.strictObject({
  hostname: z.string().min(1),
  // Heroku's CLI names the endpoint it picked; the router picks by the certificate's names (SNI), so it only informs.
  sni_endpoint: z.string().nullable().optional(),
});

type EndpointRef = { id: string; name: string } | null;

function domainJson(d: AppDomain, app: App, cname: string, sni: EndpointRef) {
  return {
    id: d.id,
    hostname: d.hostname,
    kind: d.kind,
    cname: d.kind === 'custom' ? cname : null,
    status: 'succeeded',
    acm_status: null,
    acm_status_reason: null,
    sni_endpoint: sni,
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
    shape: (app) => {
      // The endpoint whose certificate the router presents for the hostname; parsed once per response.
      const certs = ctx.sniEndpoints.list(app).map((e) => ({ ref: { id: e.id, name: e.name }, ...tlsCertificate(e.id, e.certificateChain, '') }));
      const sni = (d: AppDomain): EndpointRef => (d.kind === 'custom' ? certificateFor(certs, d.hostname, undefined)?.ref ?? null : null);
      return (d) => domainJson(d, app, ctx.domains.defaultHostname(app), sni(d));
    },
  });
}

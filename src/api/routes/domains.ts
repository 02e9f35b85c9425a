import * as z from 'zod';
import type { App, AppDomain } from '../../domain/index.js';
import { certificateFor, tlsCertificate } from '../../router/index.js';
import { invalid } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';
import { appCollectionRoutes } from './app-collection.js';

const AddDomain = z.lazy(() => z.strictObject({
  hostname: z.string().min(1),
  // Heroku's CLI names the endpoint it picked; the router picks by the certificate's names (SNI), so it only informs.
  sni_endpoint: z.string().nullable().optional(),
}));

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

const UpdateDomain = z.lazy(() => z.strictObject({ sni_endpoint: z.string().nullable() }));

/** Domains: `/apps/{app}/domains`, addressed by id or hostname; the default hostname is listed, not stored. */
export function domainRoutes(ctx: ApiContext): Route[] {
  const shape = (app: App) => {
    // The endpoint whose certificate the router presents for the hostname; parsed once per response.
    const certs = ctx.sniEndpoints.list(app).map((e) => ({ ref: { id: e.id, name: e.name }, ...tlsCertificate(e.id, e.certificateChain, '') }));
    const sni = (d: AppDomain): EndpointRef => (d.kind === 'custom' ? certificateFor(certs, d.hostname, undefined)?.ref ?? null : null);
    return (d: AppDomain) => domainJson(d, app, ctx.domains.defaultHostname(app), sni(d));
  };
  const update: Route = {
    // Heroku's CLI associates a domain with an endpoint (certs:add); the router already picks by the certificate's names, so this checks and answers.
    method: 'PATCH',
    path: '/apps/:app/domains/:key',
    access: 'app:deploy',
    handler: async (req) => {
      const app = appFor(req);
      const domain = ctx.domains.find(app, req.params.key as string);
      const body = await req.body(UpdateDomain);
      if (body.sni_endpoint !== null) {
        const e = ctx.sniEndpoints.find(app, body.sni_endpoint);
        if (!certificateFor([tlsCertificate(e.id, e.certificateChain, '')], domain.hostname, undefined)) {
          throw invalid(`The certificate of ${e.name} does not cover ${domain.hostname}.`);
        }
      }
      return { body: shape(app)(domain) };
    },
  };
  return [...appCollectionRoutes(ctx, {
    name: 'domains',
    fields: { id: (d: AppDomain) => d.id, hostname: (d: AppDomain) => d.hostname },
    defaultField: 'hostname',
    addBody: AddDomain,
    list: (app) => ctx.domains.list(app),
    find: (app, key) => ctx.domains.find(app, key),
    add: (app, body) => ctx.domains.add(app, body.hostname),
    remove: (app, key) => ctx.domains.remove(app, key),
    shape,
  }), update];
}

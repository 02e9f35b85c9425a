import * as z from 'zod';
import type { App, SniEndpoint } from '../../domain/index.js';
import { certificateFor, certificateInfo } from '../../router/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';
import { appCollectionRoutes } from './app-collection.js';

/** Heroku's body for add and update; both PEM text. Extra fields the CLI sends (`app`) are ignored. */
const Upload = z.lazy(() => z.object({
  certificate_chain: z.string().min(1, 'certificate_chain (PEM) is required'),
  private_key: z.string().min(1, 'private_key (PEM) is required'),
}));

/** The custom domains of an app an endpoint's certificate covers, as Heroku lists them (ids). */
function coveredDomains(ctx: Pick<ApiContext, 'domains'>, app: App, names: readonly string[]): string[] {
  return ctx.domains.list(app).filter((d) => d.kind === 'custom' && certificateFor([{ names }], d.hostname, undefined)).map((d) => d.id);
}

/** Heroku's SNI endpoint shape; the private key is never returned. */
function endpointJson(ctx: Pick<ApiContext, 'domains'>, app: App, e: SniEndpoint) {
  const c = certificateInfo(e.certificateChain);
  return {
    id: e.id,
    name: e.name,
    display_name: null,
    certificate_chain: e.certificateChain,
    app: appRef(app),
    domains: coveredDomains(ctx, app, c.names),
    ssl_cert: {
      id: e.id,
      'ca_signed?': c.caSigned,
      'self_signed?': c.selfSigned,
      cert_domains: c.names,
      subject: c.subject,
      issuer: c.issuer,
      starts_at: c.startsAt,
      expires_at: c.expiresAt,
    },
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

/** SNI endpoints: `/apps/{app}/sni-endpoints` (list, info, add, update, remove), by id or name. */
export function sniEndpointRoutes(ctx: ApiContext): Route[] {
  const shape = (app: App) => (e: SniEndpoint) => endpointJson(ctx, app, e);
  return [
    ...appCollectionRoutes(ctx, {
      name: 'sni-endpoints',
      fields: { id: (e: SniEndpoint) => e.id, name: (e: SniEndpoint) => e.name },
      defaultField: 'name',
      addBody: Upload,
      list: (app) => ctx.sniEndpoints.list(app),
      find: (app, key) => ctx.sniEndpoints.find(app, key),
      add: (app, body) => ctx.sniEndpoints.add(app, { certificateChain: body.certificate_chain, privateKey: body.private_key }),
      remove: (app, key) => ctx.sniEndpoints.remove(app, key),
      shape,
    }),
    {
      method: 'PATCH',
      path: '/apps/:app/sni-endpoints/:key',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(Upload);
        const updated = ctx.sniEndpoints.update(app, req.params.key as string, { certificateChain: body.certificate_chain, privateKey: body.private_key });
        return { body: shape(app)(updated) };
      },
    },
  ];
}

import { z } from 'zod';
import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

/** Values are strings; null unsets. Heroku's CLI also sends numbers and booleans as strings. */
const ConfigPatch = z.record(z.string(), z.union([z.string(), z.null()]));

export function configVarRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/config-vars',
      auth: 'key',
      handler: async (req) => ({ body: ctx.store.releases.getConfig(appFor(ctx, req).id) }),
    },
    {
      method: 'PATCH',
      path: '/apps/:app/config-vars',
      auth: 'key',
      maxBodyBytes: 64 * 1024,
      handler: async (req) => {
        const app = appFor(ctx, req);
        const changes = await req.body(ConfigPatch);
        return { body: ctx.releases.setConfig(app, changes, req.user.id).config };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/releases/:release/config-vars',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const release = ctx.store.releases.get(app.id, req.params.release as string);
        if (!release) throw notFound('release', req.params.release as string);
        return { body: release.config };
      },
    },
  ];
}

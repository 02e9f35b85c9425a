import * as z from 'zod';
import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

/** Values are strings; null unsets. Heroku's CLI also sends numbers and booleans as strings. */
const ConfigPatch = z.lazy(() => z.record(z.string(), z.union([z.string(), z.null()])));

export function configVarRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/config-vars',
      access: 'app:deploy',
      handler: async (req) => ({ body: ctx.store.releases.getConfig(appFor(req).id) }),
    },
    {
      method: 'PATCH',
      path: '/apps/:app/config-vars',
      access: 'app:deploy',
      maxBodyBytes: 64 * 1024,
      handler: async (req) => {
        const app = appFor(req);
        const changes = await req.body(ConfigPatch);
        // Names only: values are secrets and never reach the audit trail.
        const set = Object.keys(changes).filter((k) => changes[k] !== null);
        const unset = Object.keys(changes).filter((k) => changes[k] === null);
        req.audit.detail = [set.length ? `set ${set.join(', ')}` : '', unset.length ? `unset ${unset.join(', ')}` : ''].filter(Boolean).join('; ');
        return { body: ctx.releases.setConfig(app, changes, req.user.id).config };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/releases/:release/config-vars',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const release = ctx.store.releases.get(app.id, req.params.release as string);
        if (!release) throw notFound('release', req.params.release as string);
        return { body: release.config };
      },
    },
  ];
}

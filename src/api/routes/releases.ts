import * as z from 'zod';
import type { App, Release } from '../../domain/index.js';
import { registryHost, releaseImageRef } from '../../images/index.js';
import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { paginate, type Route } from '../http/index.js';
import { releaseJson } from '../shapes.js';
import { appFor } from './app-access.js';

const Rollback = z.lazy(() => z.strictObject({
  release: z.union([z.string().min(1), z.number().int().positive()]),
  description: z.string().optional(),
}));

export function releaseRoutes(ctx: ApiContext): Route[] {
  const shape = (app: App) => {
    const current = ctx.store.releases.current(app.id)?.version;
    const registry = registryHost(ctx.config.images);
    // Heroku's `oci_image.id` is the registry's manifest digest: known once the release's tag is pushed.
    const ociImage = (r: Release) => (r.imageDigest ? { id: r.imageDigest, ref: releaseImageRef(registry, app.name, r.version) } : null);
    return (r: Release) => releaseJson(r, app, current, r.userId ? ctx.store.users.get(r.userId) : undefined, ociImage(r));
  };
  return [
    {
      method: 'GET',
      path: '/apps/:app/releases',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const fields = { id: (r: Release) => r.id, version: (r: Release) => r.version };
        return paginate(ctx.store.releases.list(app.id), req.headers.range, fields, 'version', shape(app));
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/releases/:release',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const release = ctx.store.releases.get(app.id, req.params.release as string);
        if (!release) throw notFound('release', req.params.release as string);
        return { body: shape(app)(release) };
      },
    },
    {
      method: 'POST',
      path: '/apps/:app/releases',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(Rollback);
        const release = ctx.releases.rollback(app, body.release, req.user.id);
        return { status: 201, body: shape(app)(release) };
      },
    },
  ];
}

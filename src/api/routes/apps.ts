import { z } from 'zod';
import type { App } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { paginate, type Route } from '../http/index.js';
import { appJson } from '../shapes.js';
import { appFor } from './app-access.js';

const CreateApp = z.strictObject({
  name: z.string().optional(),
  region: z.string().optional(),
  stack: z.string().optional(),
});

const UpdateApp = z.strictObject({
  name: z.string().optional(),
  maintenance: z.boolean().optional(),
  deploy_branch: z.string().optional(),
  build_stack: z.string().optional(),
});

export function appRoutes(ctx: ApiContext): Route[] {
  const show = (app: App) =>
    appJson(app, {
      owner: ctx.store.users.get(app.ownerId),
      releasedAt: ctx.store.releases.current(app.id)?.createdAt ?? null,
      config: ctx.config,
    });

  const listApps = (ownerId: string, range: string | undefined) =>
    paginate(
      ctx.store.apps.list().filter((a) => a.ownerId === ownerId),
      range,
      { id: (a) => a.id, name: (a) => a.name },
      'id',
      show,
    );

  return [
    {
      method: 'POST',
      path: '/apps',
      auth: 'key',
      handler: async (req) => {
        const body = await req.body(CreateApp);
        return { status: 201, body: show(ctx.apps.create(body.name, req.user.id)) };
      },
    },
    { method: 'GET', path: '/apps', auth: 'key', handler: async (req) => listApps(req.user.id, req.headers.range) },
    {
      // Heroku's CLI lists apps as /users/~/apps (`~` is the caller).
      method: 'GET',
      path: '/users/:user/apps',
      auth: 'key',
      handler: async (req) => {
        const who = req.params.user as string;
        if (who !== '~' && who !== req.user.id && who !== req.user.email) {
          throw new PlatformError('forbidden', 'You can list only your own apps; use /users/~/apps.');
        }
        return listApps(req.user.id, req.headers.range);
      },
    },
    { method: 'GET', path: '/apps/:app', auth: 'key', handler: async (req) => ({ body: show(appFor(ctx, req)) }) },
    {
      method: 'PATCH',
      path: '/apps/:app',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const body = await req.body(UpdateApp);
        return {
          body: show(ctx.apps.update(app, { name: body.name, maintenance: body.maintenance, deployBranch: body.deploy_branch })),
        };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        const body = show(app);
        await ctx.apps.destroy(app);
        return { body };
      },
    },
    {
      // Heroku's CLI asks for this and expects 404 when an app is in no pipeline.
      method: 'GET',
      path: '/apps/:app/pipeline-couplings',
      auth: 'key',
      handler: async (req) => {
        const app = appFor(ctx, req);
        return { status: 404, body: { id: 'not_found', message: `${app.name} is not in a pipeline.` } };
      },
    },
  ];
}

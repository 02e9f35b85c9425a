import * as z from 'zod';
import type { App, User } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { paginate, type Route } from '../http/index.js';
import { appJson } from '../shapes.js';
import { appFor } from './app-access.js';

const CreateApp = z.lazy(() => z.strictObject({
  name: z.string().optional(),
  region: z.string().optional(),
  stack: z.string().optional(),
}));

const UpdateApp = z.lazy(() => z.strictObject({
  name: z.string().optional(),
  maintenance: z.boolean().optional(),
  deploy_branch: z.string().optional(),
  build_stack: z.string().optional(),
}));

/** An app in Heroku's shape, with its owner and team. */
export const appShow = (ctx: Pick<ApiContext, 'store' | 'config'>) => (app: App) =>
  appJson(app, {
    owner: ctx.store.users.get(app.ownerId),
    team: app.teamId ? ctx.store.teams.find(app.teamId) : undefined,
    releasedAt: ctx.store.releases.current(app.id)?.createdAt ?? null,
    config: ctx.config,
  });

export function appRoutes(ctx: ApiContext): Route[] {
  const show = appShow(ctx);

  /** Every app the caller may read: their own, their teams', those they collaborate on. */
  const listApps = (user: User, range: string | undefined) =>
    paginate(
      ctx.access.visibleApps(user),
      range,
      { id: (a) => a.id, name: (a) => a.name },
      'id',
      show,
    );

  return [
    {
      method: 'POST',
      path: '/apps',
      access: 'user',
      handler: async (req) => {
        const body = await req.body(CreateApp);
        const app = ctx.apps.create(body.name, req.user.id);
        req.audit.app = app;
        return { status: 201, body: show(app) };
      },
    },
    { method: 'GET', path: '/apps', access: 'user', handler: async (req) => listApps(req.user, req.headers.range) },
    {
      // Heroku's CLI lists apps as /users/~/apps (`~` is the caller).
      method: 'GET',
      path: '/users/:user/apps',
      access: 'user',
      handler: async (req) => {
        const who = req.params.user as string;
        if (who !== '~' && who !== req.user.id && who !== req.user.email) {
          throw new PlatformError('forbidden', 'You can list only your own apps; use /users/~/apps.');
        }
        return listApps(req.user, req.headers.range);
      },
    },
    { method: 'GET', path: '/apps/:app', access: 'app:read', handler: async (req) => ({ body: show(appFor(req)) }) },
    {
      method: 'PATCH',
      path: '/apps/:app',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(UpdateApp);
        return {
          body: show(ctx.apps.update(app, { name: body.name, maintenance: body.maintenance, deployBranch: body.deploy_branch })),
        };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app',
      access: 'app:destroy',
      handler: async (req) => {
        const app = appFor(req);
        const body = show(app);
        await ctx.apps.destroy(app);
        return { body };
      },
    },
    {
      // Heroku's CLI asks for this and expects 404 when an app is in no pipeline.
      method: 'GET',
      path: '/apps/:app/pipeline-couplings',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { status: 404, body: { id: 'not_found', message: `${app.name} is not in a pipeline.` } };
      },
    },
  ];
}

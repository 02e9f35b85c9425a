import * as z from 'zod';
import type { Addon, App, Release } from '../../domain/index.js';
import type { ApiContext } from '../context.js';
import { paginate, type ApiRequest, type Route } from '../http/index.js';
import { addonJson } from './addon-shapes.js';
import { appFor } from './app-access.js';

const PLAN_REQUIRED = 'plan is required, e.g. {"plan": "postgres"} or {"plan": {"name": "heroku-postgresql"}}';
/** Heroku's API takes the plan as a name or as `{name}` (what its CLI sends). */
const PlanName = z.lazy(() => z.union([
  z.string().min(1, PLAN_REQUIRED),
  z.object({ name: z.string().min(1, PLAN_REQUIRED) }).transform((p) => p.name),
]));
/** `heroku addons:create X -- --flag` sends a flag without value as `true`. */
const ConfigValue = z.lazy(() => z.union([z.string(), z.boolean().transform(String), z.number().transform(String)]));

const CreateAddon = z.lazy(() => z.strictObject({
  plan: PlanName,
  name: z.string().nullish(),
  attachment: z.strictObject({ name: z.string().nullish() }).nullish(),
  config: z.record(z.string(), ConfigValue).nullish(),
  confirm: z.string().nullish(),
}));

const UpdateAddon = z.lazy(() => z.strictObject({ name: z.string().optional(), plan: PlanName.optional() }));

const releaseRef = (r: Release | null) => (r ? { id: r.id, version: r.version } : null);

/** `/apps/{app}/addons`: create, list, show, rename, destroy, credentials, rotation. */
export function addonRoutes(ctx: Pick<ApiContext, 'apps' | 'addons'>): Route[] {
  const target = (req: ApiRequest): { app: App; addon: Addon } => {
    const app = appFor(req);
    return { app, addon: ctx.addons.find(app, req.params.addon as string) };
  };

  return [
    {
      method: 'GET',
      path: '/apps/:app/addons',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return paginate(ctx.addons.list(app), req.headers.range, { id: (a) => a.id, name: (a) => a.name }, 'name', (a) =>
          addonJson(a, app),
        );
      },
    },
    {
      method: 'POST',
      path: '/apps/:app/addons',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(CreateAddon);
        const { config, ...rest } = body;
        const { addon, release } = await ctx.addons.create(
          app,
          {
            plan: rest.plan, name: rest.name ?? undefined, attachmentName: rest.attachment?.name ?? undefined,
            options: config ?? undefined,
          },
          req.user.id,
        );
        const vars = Object.keys(addon.config).join(', ');
        return {
          status: 201,
          body: { ...addonJson(addon, app), release: releaseRef(release), provision_message: `Created ${addon.name} as ${vars}` },
        };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/addons/:addon',
      access: 'app:read',
      handler: async (req) => {
        const { app, addon } = target(req);
        return { body: { ...addonJson(addon, app), health: await ctx.addons.status(addon) } };
      },
    },
    {
      method: 'PATCH',
      path: '/apps/:app/addons/:addon',
      access: 'app:deploy',
      handler: async (req) => {
        const { app, addon } = target(req);
        const body = await req.body(UpdateAddon);
        return { body: addonJson(ctx.addons.update(app, addon, body), app) };
      },
    },
    {
      // Takes a final backup first unless `?skip_backup=true`.
      method: 'DELETE',
      path: '/apps/:app/addons/:addon',
      access: 'app:destroy',
      handler: async (req) => {
        const { app, addon } = target(req);
        const skip = req.query.get('skip_backup') === 'true';
        const r = await ctx.addons.destroy(app, addon, { backup: !skip }, req.user.id);
        return {
          body: {
            ...addonJson(r.addon, app),
            release: releaseRef(r.release),
            final_backup: r.backup ? { id: r.backup.id, name: r.backup.name, path: r.backup.path } : null,
          },
        };
      },
    },
    {
      // Heroku's `GET /addons/{addon}/config`: the config vars the add-on owns, with values.
      method: 'GET',
      path: '/apps/:app/addons/:addon/config',
      access: 'app:deploy',
      handler: async (req) => ({
        body: Object.entries(target(req).addon.config).map(([name, value]) => ({ name, value })),
      }),
    },
    {
      method: 'GET',
      path: '/apps/:app/addons/:addon/credentials',
      access: 'app:deploy',
      handler: async (req) => {
        const { addon } = target(req);
        return { body: { service: addon.service, url: Object.values(addon.config)[0], ...ctx.addons.credentials(addon) } };
      },
    },
    {
      method: 'POST',
      path: '/apps/:app/addons/:addon/credentials/rotate',
      access: 'app:deploy',
      handler: async (req) => {
        const { app, addon } = target(req);
        const r = await ctx.addons.rotate(app, addon, req.user.id);
        return { body: { ...addonJson(r.addon, app), release: releaseRef(r.release) } };
      },
    },
  ];
}

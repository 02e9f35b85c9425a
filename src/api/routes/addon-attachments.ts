import * as z from 'zod';
import type { App } from '../../domain/index.js';
import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { paginate, type ApiRequest, type Route } from '../http/index.js';
import { appFor } from './app-access.js';
import { addonJson, attachmentJson } from './addon-shapes.js';

/** Heroku's resolver bodies: an add-on or attachment name, optionally scoped to an app and a service. */
const Resolve = z.lazy(() => z.object({
  addon: z.string().optional(),
  addon_attachment: z.string().optional(),
  app: z.string().nullish(),
  addon_service: z.string().nullish(),
}));

/**
 * `/addon-attachments` and the `/actions/.../resolve` lookups, which Heroku's
 * CLI uses to list add-ons and to find one by name.
 */
export function addonAttachmentRoutes(ctx: Pick<ApiContext, 'addons' | 'access'>): Route[] {
  const fields = { id: (x: ReturnType<typeof attachmentJson>) => x.id, name: (x: ReturnType<typeof attachmentJson>) => x.name };
  const attachmentsOf = (apps: readonly App[]) => apps.flatMap((app) => ctx.addons.list(app).map((a) => attachmentJson(a, app)));
  const myApps = (req: ApiRequest) => ctx.access.visibleApps(req.user);
  /** Add-ons of the named app (or all the caller's apps) whose name, id or attachment name matches. */
  const resolve = async (req: ApiRequest) => {
    const body = await req.body(Resolve);
    const wanted = body.addon ?? body.addon_attachment;
    if (!wanted) throw notFound('add-on', '(no name given)');
    const apps = body.app ? [ctx.access.app(req.user, body.app, 'read')] : myApps(req);
    const found = apps.flatMap((app) =>
      ctx.addons
        .list(app)
        .filter((a) => [a.name, a.id, a.attachmentName].includes(wanted) && (!body.addon_service || a.service === body.addon_service))
        .map((a) => ({ app, addon: a })),
    );
    if (!found.length) throw notFound('add-on', wanted);
    return found;
  };
  /** An add-on of any of the caller's apps, by id or name. */
  const anyAddon = (req: ApiRequest) => {
    const key = req.params.addon as string;
    for (const app of myApps(req)) {
      const addon = ctx.addons.list(app).find((a) => a.id === key || a.name === key);
      if (addon) return { app, addon };
    }
    throw notFound('add-on', key);
  };
  return [
    {
      method: 'GET',
      path: '/addons/:addon',
      access: 'user',
      handler: async (req) => {
        const { app, addon } = anyAddon(req);
        return { body: addonJson(addon, app) };
      },
    },
    {
      method: 'GET',
      path: '/addons/:addon/addon-attachments',
      access: 'user',
      handler: async (req) => {
        const { app, addon } = anyAddon(req);
        return { body: [attachmentJson(addon, app)] };
      },
    },
    {
      method: 'POST',
      path: '/actions/addons/resolve',
      access: 'user',
      audit: false,
      handler: async (req) => ({ body: (await resolve(req)).map(({ app, addon }) => addonJson(addon, app)) }),
    },
    {
      method: 'POST',
      path: '/actions/addon-attachments/resolve',
      access: 'user',
      audit: false,
      handler: async (req) => ({ body: (await resolve(req)).map(({ app, addon }) => attachmentJson(addon, app)) }),
    },
    {
      method: 'GET',
      path: '/addon-attachments',
      access: 'user',
      handler: async (req) => paginate(attachmentsOf(myApps(req)), req.headers.range, fields, 'id', (x) => x),
    },
    {
      method: 'GET',
      path: '/apps/:app/addon-attachments',
      access: 'app:read',
      handler: async (req) => paginate(attachmentsOf([appFor(req)]), req.headers.range, fields, 'id', (x) => x),
    },
  ];
}

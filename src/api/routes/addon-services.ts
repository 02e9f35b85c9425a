import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { addonServiceJson } from './addon-shapes.js';

/** The services add-ons can be created from, and whether this host can run each. */
export function addonServiceRoutes(ctx: Pick<ApiContext, 'addons'>): Route[] {
  return [
    {
      method: 'GET',
      path: '/addon-services',
      access: 'user',
      handler: async () => ({ body: (await ctx.addons.catalogue()).map(addonServiceJson) }),
    },
    {
      method: 'GET',
      path: '/addon-services/:service',
      access: 'user',
      handler: async (req) => {
        const name = req.params.service as string;
        const s = (await ctx.addons.catalogue()).find((x) => x.name === name || x.aliases.includes(name));
        if (!s) throw notFound('add-on service', `${name}. \`cupaas addons:services\` lists them`);
        return { body: addonServiceJson(s) };
      },
    },
  ];
}

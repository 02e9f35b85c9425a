import type { App, DynoInfo } from '../../domain/index.js';
import type { DynoView } from '../../reconciler/index.js';
import { notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest, Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

const dynoJson = (d: DynoView, app: App) => ({
  id: d.id,
  name: d.name,
  type: d.type,
  state: d.state,
  command: d.command,
  size: d.size,
  release: d.release,
  isolation: d.isolation,
  node: d.node,
  state_reason: d.reason,
  attach_url: null,
  app: appRef(app),
  created_at: d.since,
  updated_at: d.since,
});

/**
 * Dynos as the reconciler sees them, and restarts. A restart or stop records
 * intent (a restart request) and the reconciler replaces the dynos.
 */
export function dynoRoutes(ctx: ApiContext): Route[] {
  const find = (app: App, key: string): DynoView => {
    const all = ctx.dynos.dynos(app.id);
    const d = all.find((x) => x.id === key) ?? all.find((x) => x.name === key && x.state !== 'down');
    if (!d) throw notFound('dyno', key);
    return d;
  };
  const restartOne = async (req: ApiRequest) => {
    const app = appFor(req);
    // A one-off dyno is not restarted: stopping or restarting it ends it (Heroku).
    if (await ctx.oneOffs.stop(app.id, req.params.dyno as string)) return { status: 202, body: {} };
    ctx.formation.restart(app, { dynoName: find(app, req.params.dyno as string).name });
    return { status: 202, body: {} };
  };
  const restartType = async (req: ApiRequest) => {
    const app = appFor(req);
    ctx.formation.restart(app, { processType: ctx.formation.get(app, req.params.type as string).type });
    return { status: 202, body: {} };
  };
  return [
    {
      method: 'GET',
      path: '/apps/:app/dynos',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { body: ctx.dynos.dynos(app.id).map((d) => dynoJson(d, app)) };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/dynos/:dyno',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { body: dynoJson(find(app, req.params.dyno as string), app) };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app/dynos',
      access: 'app:deploy',
      handler: async (req) => {
        ctx.formation.restart(appFor(req), { all: true });
        return { status: 202, body: {} };
      },
    },
    { method: 'DELETE', path: '/apps/:app/dynos/:dyno', access: 'app:deploy', handler: restartOne },
    // Heroku's Common Runtime restarts a stopped formation dyno at once, so a stop is a restart.
    { method: 'POST', path: '/apps/:app/dynos/:dyno/actions/stop', access: 'app:deploy', handler: restartOne },
    { method: 'DELETE', path: '/apps/:app/formations/:type', access: 'app:deploy', handler: restartType },
    { method: 'POST', path: '/apps/:app/formations/:type/actions/stop', access: 'app:deploy', handler: restartType },
  ];
}

dynoJson satisfies (...args: never[]) => DynoInfo;

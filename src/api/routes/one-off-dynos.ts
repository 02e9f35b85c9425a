import * as z from 'zod';
import type { App } from '../../domain/index.js';
import type { OneOffDyno } from '../../reconciler/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

/** What `heroku run --exit-code` appends to learn the status; cupaas reports it itself, also after `exit N`. */
const EXIT_STATUS_SUFFIX = /;\s*echo\s+"\uFFFF heroku-command-exit-status: \$\?"\s*$/;
/** Heroku's CLI sends COLUMNS and LINES as numbers and may send an undefined TERM. */
const EnvValue = z.lazy(() => z.union([z.string(), z.number().transform(String)]));

const CreateDyno = z.lazy(() => z.object({
  command: z.string().min(1).max(64 * 1024),
  attach: z.boolean().nullish(),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a config var name'), EnvValue.nullish()).nullish(),
  size: z.string().nullish(),
  type: z.string().nullish(),
  time_to_live: z.number().int().positive().nullish(),
  force_no_tty: z.boolean().nullish(),
}));

/** Where a client attaches: the API's host name, the rendezvous port, the dyno's secret. */
function attachUrl(ctx: ApiContext, secret: string): string {
  const host = new URL(ctx.config.publicApiUrl).hostname;
  return `rendezvous://${host}:${ctx.config.rendezvousPort}/${secret}`;
}

const oneOffJson = (ctx: ApiContext, d: OneOffDyno, app: App) => ({
  id: d.id,
  name: d.name,
  type: d.type,
  state: 'starting',
  command: d.command,
  size: d.size,
  release: d.release,
  attach_url: d.attachSecret ? attachUrl(ctx, d.attachSecret) : null,
  app: appRef(app),
  created_at: d.createdAt,
  updated_at: d.createdAt,
});

/** One-off dynos (`heroku run`, `run:detached`): Heroku's `POST /apps/{app}/dynos`. */
export function oneOffDynoRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/apps/:app/dynos',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const b = await req.body(CreateDyno);
        const reportStatus = EXIT_STATUS_SUFFIX.test(b.command);
        const env = Object.fromEntries(Object.entries(b.env ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
        const dyno = ctx.oneOffs.start({
          app, command: b.command.replace(EXIT_STATUS_SUFFIX, ''), env,
          ...(b.type ? { type: b.type } : {}), ...(b.size ? { size: b.size } : {}),
          ...(b.time_to_live ? { timeToLiveMs: b.time_to_live * 1000 } : {}),
          ...(b.attach ? { attach: { tty: !b.force_no_tty, reportStatus } } : {}),
        });
        return { status: 201, body: oneOffJson(ctx, dyno, app) };
      },
    },
  ];
}

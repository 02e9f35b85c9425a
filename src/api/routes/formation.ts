import * as z from 'zod';
import type { App, FormationInfo } from '../../domain/index.js';
import type { FormationEntry } from '../../reconciler/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

/** Heroku's CLI sends quantities as strings, also relative ("+1"). */
const Quantity = z.lazy(() => z.union([z.number().int(), z.string().regex(/^\s*[+-]?\d+\s*$/, 'must be a whole number or +N/-N')]));
const DynoSize = z.lazy(() => z.union([z.string(), z.object({ name: z.string() }).transform((s) => s.name)]));
const Change = z.lazy(() => z.object({ quantity: Quantity.optional(), size: z.string().optional(), dyno_size: DynoSize.optional() }));
const BatchUpdate = z.lazy(() => z.strictObject({ updates: z.array(Change.unwrap().extend({ type: z.string().min(1) })).min(1) }));

export const formationJson = (f: FormationEntry, app: App) => ({
  id: f.id,
  type: f.type,
  command: f.command,
  quantity: f.quantity,
  size: f.size,
  dyno_size: { id: null, name: f.size },
  app: appRef(app),
  created_at: f.createdAt,
  updated_at: f.updatedAt,
});

const toUpdate = (type: string, c: z.infer<typeof Change>) => ({ type, quantity: c.quantity, size: c.dyno_size ?? c.size });

export function formationRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/formation',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { body: ctx.formation.list(app).map((f) => formationJson(f, app)) };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/formation/:type',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { body: formationJson(ctx.formation.get(app, req.params.type as string), app) };
      },
    },
    {
      method: 'PATCH',
      path: '/apps/:app/formation',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const { updates } = await req.body(BatchUpdate);
        const changed = ctx.formation.update(app, updates.map((u) => toUpdate(u.type, u)));
        return { body: changed.map((f) => formationJson(f, app)) };
      },
    },
    {
      method: 'PATCH',
      path: '/apps/:app/formation/:type',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const change = await req.body(Change.unwrap().strict());
        const [f] = ctx.formation.update(app, [toUpdate(req.params.type as string, change)]);
        return { body: formationJson(f as FormationEntry, app) };
      },
    },
  ];
}

formationJson satisfies (...args: never[]) => FormationInfo;

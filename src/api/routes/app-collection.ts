import type * as z from 'zod';
import type { App } from '../../domain/index.js';
import type { ApiContext } from '../context.js';
import { paginate, type RangeFields, type Route } from '../http/index.js';
import { appFor } from './app-access.js';

/** An app-scoped collection whose items are listed, shown, added and removed by key. */
export interface AppCollection<T, S extends z.ZodType> {
  /** The path segment after `/apps/{app}/`, e.g. `domains`. */
  name: string;
  fields: RangeFields<T>;
  defaultField: string;
  addBody: S;
  list(app: App): readonly T[];
  find(app: App, key: string): T;
  add(app: App, body: z.infer<S>): T;
  remove(app: App, key: string): T;
  shape(app: App): (item: T) => unknown;
}

/** The four routes of an app-scoped collection, in Heroku's style (201 on add, the removed item on delete). */
export function appCollectionRoutes<T, S extends z.ZodType>(ctx: Pick<ApiContext, 'apps'>, c: AppCollection<T, S>): Route[] {
  const base = `/apps/:app/${c.name}`;
  return [
    {
      method: 'GET',
      path: base,
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return paginate(c.list(app), req.headers.range, c.fields, c.defaultField, c.shape(app));
      },
    },
    {
      method: 'GET',
      path: `${base}/:key`,
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { body: c.shape(app)(c.find(app, req.params.key as string)) };
      },
    },
    {
      method: 'POST',
      path: base,
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(c.addBody);
        return { status: 201, body: c.shape(app)(c.add(app, body)) };
      },
    },
    {
      method: 'DELETE',
      path: `${base}/:key`,
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        return { body: c.shape(app)(c.remove(app, req.params.key as string)) };
      },
    },
  ];
}

import * as z from 'zod';
import type { App, LogDrain } from '../../domain/index.js';
import { redactUrl } from '../../shared/redact-url.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appCollectionRoutes } from './app-collection.js';

const AddDrain = z.lazy(() => z.strictObject({ url: z.string().min(1).max(2048) }));

/** The URL is shown redacted: its credentials never leave the server. */
const drainJson = (app: App) => (d: LogDrain) => ({
  id: d.id,
  url: redactUrl(d.url),
  token: d.token,
  addon: null,
  app: appRef(app),
  created_at: d.createdAt,
  updated_at: d.updatedAt,
});

/** Log drains: `/apps/{app}/log-drains`, addressed by id or URL. */
export function logDrainRoutes(ctx: ApiContext): Route[] {
  return appCollectionRoutes(ctx, {
    name: 'log-drains',
    fields: { id: (d: LogDrain) => d.id, url: (d: LogDrain) => redactUrl(d.url) },
    defaultField: 'id',
    addBody: AddDrain,
    list: (app) => ctx.logDrains.list(app),
    find: (app, key) => ctx.logDrains.find(app, key),
    add: (app, body) => ctx.logDrains.add(app, body.url),
    remove: (app, key) => ctx.logDrains.remove(app, key),
    shape: drainJson,
  });
}

/**
 * API: the Platform API (Heroku v3 conventions) over HTTP. Parses and
 * validates input at the boundary, calls services, shapes JSON. Owns no state
 * and never drives runtimes directly.
 */
import type { Route } from './http/index.js';
import type { ApiContext } from './context.js';
import { createApiHandler, createRateLimiter, createSessions } from './http/index.js';
import { allRoutes } from './routes/index.js';
import { sessionRoutes } from './routes/session.js';

export type { ApiContext } from './context.js';
export type { Route, ApiRequest, HandlerResult } from './http/index.js';

/**
 * The request handler for the API port. `extraRoutes` are routes of other
 * entry points served on the same port (git smart HTTP, webhooks, log streams).
 */
export function createApi(ctx: ApiContext, extraRoutes: readonly Route[] = []) {
  const sessions = createSessions();
  const findUserByKey = (key: string) => ctx.store.users.findByApiKey(key);
  return createApiHandler({
    routes: [...allRoutes(ctx), ...sessionRoutes(ctx, sessions, findUserByKey), ...extraRoutes],
    findUserByKey,
    sessions,
    rateLimiter: createRateLimiter(),
    logger: ctx.logger,
  });
}

/**
 * API: the Platform API (Heroku v3 conventions) over HTTP. Parses and
 * validates input at the boundary, calls services, shapes JSON. Owns no state
 * and never drives runtimes directly.
 */
import type { Route } from './http/index.js';
import type { ApiContext } from './context.js';
import { bearerToken, createApiHandler, createRateLimiter, sessionToken } from './http/index.js';
import { allRoutes } from './routes/index.js';

export type { ApiContext } from './context.js';
export type { Route, ApiRequest, HandlerResult } from './http/index.js';
export { basicCredentials, createSessions } from './http/index.js';
export { createAccessPolicy, type AccessPolicy } from './access.js';
export { createAuthentication, type Authentication } from './authentication.js';

/**
 * The request handler for the API port. `extraRoutes` are routes of other
 * entry points served on the same port (git smart HTTP, webhooks, log streams).
 */
export function createApi(ctx: ApiContext, extraRoutes: readonly Route[] = []) {
  return createApiHandler({
    routes: [...allRoutes(ctx), ...extraRoutes],
    // A dashboard session (cookie + CSRF header) stands for the token it holds; an explicit token wins.
    authenticate: async (req, route) => {
      const fromSession = bearerToken(req.headers) ? null : sessionToken(req.headers, ctx.sessions);
      return fromSession ? ctx.authentication.byToken(fromSession, req.socket.remoteAddress ?? '') : ctx.authentication.authenticate(req, route);
    },
    authorize: (access, user, params) => ctx.access.authorize(access, user, params),
    audit: (r) =>
      ctx.store.audit.append({
        userId: r.note.user?.id ?? null, userEmail: r.note.user?.email ?? null, appId: r.note.app?.id ?? null,
        appName: r.note.app?.name ?? null, action: r.action, detail: r.note.detail ?? null, status: r.status,
        source: r.source, address: r.address,
      }),
    rateLimiter: createRateLimiter(),
    logger: ctx.logger,
  });
}

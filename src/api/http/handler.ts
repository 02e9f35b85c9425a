import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { User } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { apiKeyFrom } from './auth.js';
import { parseJson, readBody } from './body.js';
import type { RateLimiter } from './rate-limit.js';
import { csrfMatches, sessionIdFrom, type Sessions } from './sessions.js';
import { sendError, sendJson, sendThrown } from './respond.js';
import { createRouteTable } from './router.js';
import type { ApiRequest, Route } from './types.js';

export interface HandlerDeps {
  routes: readonly Route[];
  findUserByKey(key: string): User | undefined;
  /** Dashboard sessions: accepted instead of an API key only with their CSRF token. */
  sessions?: Sessions;
  rateLimiter: RateLimiter;
  logger: Logger;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/** Heroku clients send `version=3`; any other explicit version is not served. */
function acceptable(accept: string | undefined): boolean {
  if (!accept || !accept.includes('application/vnd.heroku+json')) return true;
  return /application\/vnd\.heroku\+json;\s*version=3\b/.test(accept);
}

/**
 * The API key of a dashboard session cookie. The cookie alone never
 * authorizes (a cross-site page could make the browser send it): the
 * request must also carry the session's CSRF token, which only our page can read.
 */
function sessionKey(req: IncomingMessage, sessions: Sessions | undefined): string | null {
  const session = sessions?.find(sessionIdFrom(req.headers));
  if (!session) return null;
  if (!csrfMatches(session, req.headers)) {
    throw new PlatformError('forbidden', 'The dashboard session needs its CSRF token in `X-CSRF-Token`; reload the page.');
  }
  return session.apiKey;
}

/** Resolves the caller or throws 401 with a hint on how to log in. */
function authenticate(req: IncomingMessage, deps: Pick<HandlerDeps, 'findUserByKey' | 'sessions'>): User {
  const key = apiKeyFrom(req.headers) ?? sessionKey(req, deps.sessions);
  if (!key) {
    throw new PlatformError('unauthorized', 'No API key given. Run `cupaas login`, or send `Authorization: Bearer KEY`.');
  }
  const user = deps.findUserByKey(key);
  if (!user) throw new PlatformError('unauthorized', 'Invalid credentials provided. Run `cupaas login` to get a new key.');
  return user;
}

/** The Platform API's request handler: routing, auth, limits, and errors, in one place. */
export function createApiHandler(deps: HandlerDeps) {
  const table = createRouteTable(deps.routes);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newId();
    res.setHeader('Request-Id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.headers['x-http-method-override'] as string | undefined)?.toUpperCase() ?? req.method ?? 'GET';
    try {
      const { match, allowed } = table.match(method, url.pathname);
      if (!match) {
        if (allowed.length) res.setHeader('Allow', allowed.join(', '));
        throw allowed.length
          ? new PlatformError('not_found', `${method} is not supported on ${url.pathname}; use ${allowed.join(', ')}.`)
          : new PlatformError('not_found', `The requested API endpoint ${url.pathname} was not found.`);
      }
      const { route, params } = match;
      if (!route.raw && !acceptable(req.headers.accept)) {
        throw new PlatformError('not_acceptable', 'Send `Accept: application/vnd.heroku+json; version=3`.');
      }
      let user = undefined as unknown as User;
      if (route.auth === 'key') {
        user = authenticate(req, deps);
        const remaining = deps.rateLimiter.take(user.id);
        if (remaining < 0) throw new PlatformError('rate_limit', 'Your account reached the API rate limit; retry in a minute.');
        res.setHeader('RateLimit-Remaining', String(remaining));
      }
      const apiReq: ApiRequest = {
        method,
        path: url.pathname,
        params,
        query: url.searchParams,
        headers: req.headers,
        requestId,
        user,
        raw: req,
        body: async <S extends z.ZodType>(schema: S) =>
          parseJson(await readBody(req, route.maxBodyBytes ?? DEFAULT_MAX_BODY), schema),
      };
      const result = await route.handler(apiReq, res);
      if (result !== 'streamed') sendJson(req, res, result);
    } catch (e) {
      sendThrown(req, res, e, deps.logger, requestId);
    }
  };
}

export { sendError };

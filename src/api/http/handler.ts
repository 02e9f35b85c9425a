import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { User } from '../../domain/index.js';
import { ERROR_IDS, isPlatformError, PlatformError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { apiKeyFrom } from './auth.js';
import { parseJson, readBody } from './body.js';
import { createClientErrorLog } from './client-errors.js';
import type { RateLimiter } from './rate-limit.js';
import { sendError, sendJson, sendThrown } from './respond.js';
import { createRouteTable, rawPathOf } from './router.js';
import type { ApiRequest, Route } from './types.js';

export interface HandlerDeps {
  routes: readonly Route[];
  findUserByKey(key: string): User | undefined;
  rateLimiter: RateLimiter;
  logger: Logger;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/** Heroku clients send `version=3`; any other explicit version is not served. */
function acceptable(accept: string | undefined): boolean {
  if (!accept || !accept.includes('application/vnd.heroku+json')) return true;
  return /application\/vnd\.heroku\+json;\s*version=3\b/.test(accept);
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A browser form or a "simple" cross-site fetch can send neither a Heroku
 * `Accept` nor a JSON `Content-Type` without a CORS preflight (which cupaas
 * never grants), so requiring one of them stops cross-site request forgery.
 */
function refuseForgeable(method: string, headers: IncomingMessage['headers']): void {
  if (!STATE_CHANGING.has(method)) return;
  if (headers.accept?.includes('application/vnd.heroku+json')) return;
  if (/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(headers['content-type'] ?? '')) return;
  throw new PlatformError(
    'bad_request',
    `${method} requests need \`Accept: application/vnd.heroku+json; version=3\` or \`Content-Type: application/json\`.`,
  );
}

/** A request whose client went away mid-body: nothing to answer, not a server fault. */
const abortedByClient = (req: IncomingMessage): boolean => !req.complete && (req.destroyed || req.socket.destroyed);

/** Resolves the caller or throws 401 with a hint on how to log in. */
function authenticate(req: IncomingMessage, findUserByKey: HandlerDeps['findUserByKey']): User {
  const key = apiKeyFrom(req.headers);
  if (!key) {
    throw new PlatformError('unauthorized', 'No API key given. Run `cupaas login`, or send `Authorization: Bearer KEY`.');
  }
  const user = findUserByKey(key);
  if (!user) throw new PlatformError('unauthorized', 'Invalid credentials provided. Run `cupaas login` to get a new key.');
  return user;
}

/** The Platform API's request handler: routing, auth, limits, and errors, in one place. */
export function createApiHandler(deps: HandlerDeps) {
  const table = createRouteTable(deps.routes);
  const clientError = createClientErrorLog(deps.logger);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newId();
    res.setHeader('Request-Id', requestId);
    const method = (req.headers['x-http-method-override'] as string | undefined)?.toUpperCase() ?? req.method ?? 'GET';
    try {
      const { path, query } = rawPathOf(req.url ?? '/');
      const { match, allowed } = table.match(method, path);
      if (!match) {
        if (allowed.length) res.setHeader('Allow', allowed.join(', '));
        throw allowed.length
          ? new PlatformError('not_found', `${method} is not supported on ${path}; use ${allowed.join(', ')}.`)
          : new PlatformError('not_found', `The requested API endpoint ${path} was not found.`);
      }
      const { route, params } = match;
      if (!route.raw && !acceptable(req.headers.accept)) {
        throw new PlatformError('not_acceptable', 'Send `Accept: application/vnd.heroku+json; version=3`.');
      }
      if (!route.raw) refuseForgeable(method, req.headers);
      let user = undefined as unknown as User;
      if (route.auth === 'key') {
        user = authenticate(req, deps.findUserByKey);
        const remaining = deps.rateLimiter.take(user.id);
        if (remaining < 0) throw new PlatformError('rate_limit', 'Your account reached the API rate limit; retry in a minute.');
        res.setHeader('RateLimit-Remaining', String(remaining));
      }
      const apiReq: ApiRequest = {
        method,
        path,
        params,
        query: new URLSearchParams(query),
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
      if (isPlatformError(e)) {
        if (ERROR_IDS[e.id] < 500) clientError(e.id, e.message);
      } else if (abortedByClient(req)) {
        clientError('aborted', 'the client closed the connection before sending the whole body');
        res.destroy();
        return;
      }
      sendThrown(req, res, e, deps.logger, requestId);
    }
  };
}

export { sendError };

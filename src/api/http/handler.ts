import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as z from 'zod';
import type { Access, App, AuditSource, Team, User } from '../../domain/index.js';
import { ERROR_IDS, isPlatformError, PlatformError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { Logger } from '../../shared/logger.js';
import { parseJson, readBody } from './body.js';
import { createClientErrorLog } from './client-errors.js';
import type { RateLimiter } from './rate-limit.js';
import { sendError, sendJson, sendThrown } from './respond.js';
import { createRouteTable, rawPathOf } from './router.js';
import type { ApiRequest, AuditNote, Route } from './types.js';

/** A signed-in caller and the token they used (null: a password on this very request). */
export interface Caller {
  user: User;
  authorizationId: string | null;
}

/** One audited request, as the handler saw it. */
export interface AuditedRequest {
  note: AuditNote;
  action: string;
  status: number;
  source: AuditSource;
  address: string | null;
}

export interface HandlerDeps {
  routes: readonly Route[];
  /** The caller, from a Bearer token (or Basic email:password where the route allows); throws 401/429. */
  authenticate(req: IncomingMessage, route: Route): Promise<Caller>;
  /** The one access policy: the app or team the route's access names, if the caller may act on it; throws 404/403. */
  authorize(access: Access, user: User, params: Readonly<Record<string, string>>): { app?: App; team?: Team };
  audit(entry: AuditedRequest): void;
  rateLimiter: RateLimiter;
  logger: Logger;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);
const CLIENTS: readonly AuditSource[] = ['cli', 'dashboard'];

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

/** Where a request came from: the route's own source, the client's `X-Cupaas-Client`, Heroku's CLI, else the API. */
function sourceOf(route: Route | undefined, req: IncomingMessage): AuditSource {
  if (route?.auditSource) return route.auditSource;
  const named = String(req.headers['x-cupaas-client'] ?? '').toLowerCase() as AuditSource;
  if (CLIENTS.includes(named)) return named;
  return /heroku-cli|cupaas-cli/i.test(String(req.headers['user-agent'] ?? '')) ? 'cli' : 'api';
}

/** The Platform API's request handler: routing, auth, access, limits, audit and errors, in one place. */
export function createApiHandler(deps: HandlerDeps) {
  const table = createRouteTable(deps.routes);
  const clientError = createClientErrorLog(deps.logger);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newId();
    res.setHeader('Request-Id', requestId);
    const method = (req.headers['x-http-method-override'] as string | undefined)?.toUpperCase() ?? req.method ?? 'GET';
    const note: AuditNote = {};
    let route: Route | undefined;
    try {
      const { path, query } = rawPathOf(req.url ?? '/');
      const { match, allowed } = table.match(method, path);
      if (!match) {
        if (allowed.length) res.setHeader('Allow', allowed.join(', '));
        throw allowed.length
          ? new PlatformError('not_found', `${method} is not supported on ${path}; use ${allowed.join(', ')}.`)
          : new PlatformError('not_found', `The requested API endpoint ${path} was not found.`);
      }
      route = match.route;
      const params = match.params;
      if (!route.raw && !acceptable(req.headers.accept)) {
        throw new PlatformError('not_acceptable', 'Send `Accept: application/vnd.heroku+json; version=3`.');
      }
      if (!route.raw) refuseForgeable(method, req.headers);
      let caller: Caller = { user: undefined as unknown as User, authorizationId: null };
      let target: ApiRequest['target'] = {};
      if (route.access !== 'public') {
        caller = await deps.authenticate(req, route);
        note.user = caller.user;
        const remaining = deps.rateLimiter.take(caller.user.id);
        if (remaining < 0) throw new PlatformError('rate_limit', 'Your account reached the API rate limit; retry in a minute.');
        res.setHeader('RateLimit-Remaining', String(remaining));
        try {
          target = deps.authorize(route.access, caller.user, params);
        } catch (e) {
          if (isPlatformError(e) && e.details?.app) note.app = e.details.app as App;
          throw e;
        }
        note.app = target.app;
      }
      const apiReq: ApiRequest = {
        method,
        path,
        params,
        query: new URLSearchParams(query),
        headers: req.headers,
        requestId,
        user: caller.user,
        authorizationId: caller.authorizationId,
        target,
        audit: note,
        raw: req,
        body: async <S extends z.ZodType>(schema: S) =>
          parseJson(await readBody(req, route?.maxBodyBytes ?? DEFAULT_MAX_BODY), schema),
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
    // Anonymous failures (bad tokens, unknown paths) are not recorded: anyone could flood the trail with them.
    if (route && route.audit !== false && !READ_ONLY.has(method) && (note.user || res.statusCode < 400 || route.passwordLogin)) {
      deps.audit({
        note, action: `${method} ${route.path}`, status: res.statusCode, source: sourceOf(route, req),
        address: req.socket.remoteAddress ?? null,
      });
    }
  };
}

export { sendError };

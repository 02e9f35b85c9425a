import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as z from 'zod';
import type { Access, App, AuditSource, Team, User } from '../../domain/index.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequest {
  method: string;
  path: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  requestId: string;
  /** The signed-in caller; set for every route but `access: 'public'` ones. */
  user: User;
  /** The API token the caller used; null when they signed in with a password on this request. */
  authorizationId: string | null;
  /** What the route's `access` named and the policy allowed: the app of `app:*` routes, the team of `team:*` ones. */
  target: { app?: App; team?: Team };
  /** What the audit trail records for this request; handlers of public routes fill in who, any handler a safe detail. */
  audit: AuditNote;
  /** Reads, size-checks, parses and validates the JSON body. */
  body<S extends z.ZodType>(schema: S): Promise<z.infer<S>>;
  raw: IncomingMessage;
}

export interface JsonResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A handler either returns JSON to send, or takes over `res` and returns 'streamed'. */
export type HandlerResult = JsonResponse | 'streamed';

export interface Route {
  method: Method;
  path: string;
  /**
   * What the caller needs, decided by the one access policy before the
   * handler runs (every route declares it; the route-table test checks each).
   */
  access: Access;
  /** Accepts Basic `EMAIL:PASSWORD` besides a token (only Heroku's login, `POST /oauth/authorizations`). */
  passwordLogin?: boolean;
  /** State-changing requests are audited unless this is false (read-only POSTs, internal callbacks). */
  audit?: boolean;
  /** Where requests on this route come from, when not the API's own clients (git pushes, webhooks). */
  auditSource?: AuditSource;
  /** Raw routes skip the Heroku Accept check and JSON body handling (git, webhooks). */
  raw?: boolean;
  /** Largest body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  handler(req: ApiRequest, res: ServerResponse): Promise<HandlerResult>;
}

export interface AuditNote {
  user?: User;
  app?: App;
  /** A safe summary: names, never values or secrets. */
  detail?: string;
}

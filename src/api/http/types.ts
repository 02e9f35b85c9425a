import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { User } from '../../domain/index.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRequest {
  method: string;
  path: string;
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  requestId: string;
  /** Set for routes with `auth: 'key'`. */
  user: User;
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
   * `key`: the caller must present an API key. `none`: the handler checks
   * its own secret (git with Basic auth, webhooks with signatures, log URLs).
   */
  auth: 'key' | 'none';
  /** Raw routes skip the Heroku Accept check and JSON body handling (git, webhooks). */
  raw?: boolean;
  /** Largest body accepted, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  handler(req: ApiRequest, res: ServerResponse): Promise<HandlerResult>;
}

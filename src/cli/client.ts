import { readApiError } from '../domain/index.js';
import type { ClientConfig } from '../config/index.js';
import { checkApiPath } from './api-path.js';
import { resolveApiKey } from './credentials.js';
import { CliError } from './errors.js';

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Send without any API key (used by login to test a key it was given). */
  key?: string;
}

/** The CLI's only way to the platform: the public HTTP API. */
export interface ApiClient {
  readonly apiUrl: string;
  request<T>(method: string, path: string, opts?: RequestOptions): Promise<T>;
  /** GETs a list, following `Next-Range` until the last page. */
  list<T>(path: string, range?: string): Promise<T[]>;
  /** A raw fetch with auth, for streams (build output, logs). */
  fetch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
}

const HINTS: Record<string, string> = {
  unauthorized: 'Run `cupaas login` to store a valid API key.',
  not_found: 'Check the name; `cupaas apps` lists your apps.',
  rate_limit: 'Wait a minute and try again.',
};

/** Tells the audit trail a request came from this CLI. */
const CLIENT_HEADER = { 'X-Cupaas-Client': 'cli' } as const;

export function createApiClient(config: ClientConfig): ApiClient {
  const authHeader = (explicit?: string): Record<string, string> => {
    const key = explicit ?? resolveApiKey(config)?.key;
    return key ? { Authorization: `Bearer ${key}` } : {};
  };

  const send = async (method: string, path: string, opts: RequestOptions = {}): Promise<Response> => {
    checkApiPath(path);
    const headers: Record<string, string> = {
      Accept: 'application/vnd.heroku+json; version=3',
      ...CLIENT_HEADER,
      ...authHeader(opts.key),
      ...opts.headers,
    };
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    try {
      return await fetch(config.apiUrl + path, { method, headers, body });
    } catch (e) {
      throw new CliError(
        `Cannot reach the cupaas API at ${config.apiUrl} (${(e as Error).cause ?? (e as Error).message}).`,
        'Start it with `cupaas server` (or `npm start`), or set CUPAAS_API_URL to where it runs.',
      );
    }
  };

  const fail = async (res: Response): Promise<never> => {
    const { id, message } = await readApiError(res);
    throw new CliError(message, HINTS[id]);
  };

  return {
    apiUrl: config.apiUrl,
    async request<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
      const res = await send(method, path, opts);
      if (!res.ok) return fail(res);
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async list<T>(path: string, range?: string): Promise<T[]> {
      const out: T[] = [];
      let next: string | null | undefined = range;
      do {
        const res = await send('GET', path, { headers: next ? { Range: next } : {} });
        if (!res.ok) return fail(res);
        out.push(...((await res.json()) as T[]));
        next = res.status === 206 ? res.headers.get('next-range') : null;
      } while (next);
      return out;
    },
    async fetch(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
      if (!pathOrUrl.startsWith('http')) checkApiPath(pathOrUrl);
      const url = pathOrUrl.startsWith('http') ? pathOrUrl : config.apiUrl + pathOrUrl;
      const headers = { Accept: 'application/vnd.heroku+json; version=3', ...CLIENT_HEADER, ...authHeader(), ...(init.headers as Record<string, string>) };
      try {
        const res = await fetch(url, { ...init, headers });
        if (!res.ok) return fail(res);
        return res;
      } catch (e) {
        if (e instanceof CliError) throw e;
        throw new CliError(`Cannot reach ${url}: ${(e as Error).message}`);
      }
    },
  };
}

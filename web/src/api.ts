/**
 * The dashboard's only way to the platform: the public Platform API, with
 * the session cookie (sent by the browser, HttpOnly) and the session's CSRF
 * token (kept in memory here) on every call.
 */
import type { SessionInfo } from '../../src/domain/index.js';
// The file itself, not the domain door: the door would bundle the zod schemas into the page.
import { readApiError } from '../../src/domain/api-error.js';

export class ApiError extends Error {
  constructor(
    readonly id: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let csrf = '';
let onLoggedOut: () => void = () => {};

export const setLoggedOutHandler = (fn: () => void) => (onLoggedOut = fn);

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/vnd.heroku+json; version=3',
      'X-CSRF-Token': csrf,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.ok) return res;
  const { id, message } = await readApiError(res);
  if (res.status === 401 && path !== '/session') onLoggedOut();
  throw new ApiError(id, message, res.status);
}

export async function api<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  const res = await send(method, path, body, headers);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, range?: string) => api<T>('GET', path, undefined, range ? { Range: range } : undefined);

export const appPath = (app: string, rest = '') => `/apps/${encodeURIComponent(app)}${rest}`;

/** The platform gives stream URLs on its public address; the page follows them on its own origin. */
export const sameOrigin = (url: string) => {
  const u = new URL(url, location.href);
  return u.pathname + u.search;
};

export async function login(body: { api_key: string } | { email: string; password: string }): Promise<SessionInfo> {
  const s = await api<SessionInfo>('POST', '/session', body);
  csrf = s.csrf_token;
  return s;
}

/** The session the cookie holds, if any (after a reload the CSRF token comes back from here). */
export async function resume(): Promise<SessionInfo | null> {
  try {
    const s = await api<SessionInfo>('GET', '/session');
    csrf = s.csrf_token;
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function logout(): Promise<void> {
  await api('DELETE', '/session');
  csrf = '';
}

/** Reads a text stream (build output) line by line until it ends or `signal` aborts. */
export async function streamLines(url: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  const res = await fetch(sameOrigin(url), { signal, credentials: 'same-origin' });
  if (!res.ok || !res.body) throw new ApiError('stream', `stream answered ${res.status}`, res.status);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const parts = (rest + value).split('\n');
    rest = parts.pop() ?? '';
    parts.forEach(onLine);
  }
  if (rest) onLine(rest);
}

import type { RequestRecord } from '../data-plane.js';
import { ROUTER_ERRORS, type RouterErrorCode } from '../errors.js';
import { LOG_TAG } from './config.js';

/** How a log line's backend/server/host names map back to the platform's app and dyno. */
export interface LogContext {
  resolve(backend: string, server: string): { appId: string | null; dynoName: string | null };
  /** The app a hostname belongs to now (for requests to apps without a slot). */
  appOfHost(host: string): string | undefined;
}

const CODES = new Set(Object.keys(ROUTER_ERRORS));

/** HAProxy writes `-` for an empty value and escapes unsafe characters as `#XX`. */
const text = (v: string): string =>
  v === '-' ? '' : !v.includes('#') ? v : v.replace(/#([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
/** A whole number HAProxy printed, else -1 (`-` for a timer that did not run). */
const num = (v: string): number => {
  const n = v.length ? Number(v) : NaN;
  return Number.isInteger(n) ? n : -1;
};

/**
 * The error a request ended with, from what the frontend answered itself
 * (`code`) or HAProxy's two-letter termination state: who ended the
 * session (s/S server timeout/error, C/c client) and in which phase
 * (C connect, H response headers, D data).
 */
function errorOf(code: string, term: string, dyno: string | null): RouterErrorCode | null {
  if (CODES.has(code)) return code as RouterErrorCode;
  const [who, phase] = [term[0], term[1]];
  if (who === 's' && phase === 'H') return 'H12';
  if (who === 's' && phase === 'C') return 'H19';
  if (who === 'S' && phase === 'C') return dyno ? 'H21' : 'H10';
  if (who === 'S' && phase === 'H') return 'H13';
  if ((who === 'C' || who === 'c') && phase !== 'D') return 'H27';
  return null;
}

/** A request log line (see LOG_FIELDS in config.ts): the record the control plane logs, and whether HAProxy had to retry a connect. */
export function parseRequestLine(line: string, ctx: LogContext): { record: RequestRecord; retried: boolean } | null {
  const f = line.split('\t');
  if (f[0] !== LOG_TAG || f.length < 20) return null;
  const record = toRecord(f, ctx);
  // `%rc` counts connect retries, with a `+` when the request was redispatched to another dyno.
  return record && { record, retried: /^\+?[1-9]/.test(f[18] as string) };
}

function toRecord(f: readonly string[], ctx: LogContext): RequestRecord | null {
  const [, slot = '', host = '', method = '', uri = '', rid = '', fwd = '', server = '', tc = '', ta = '', tr = '', tw = '',
    st = '', b = '', term = '', code = '', clen = '', hsize = '', , tls = ''] = f;
  const where = ctx.resolve(slot, server);
  const appId = where.appId ?? ctx.appOfHost(text(host));
  if (!appId || slot === '-') return null;
  const dyno = server.startsWith('<') ? null : where.dynoName;
  const error = errorOf(code, term, dyno);
  const reached = dyno !== null && num(tc) >= 0 && !CODES.has(code);
  const fromDyno = reached && num(st) > 0 && (!error || error === 'H27');
  const [connect, total] = [Math.max(0, num(tc)), Math.max(0, num(ta))];
  return {
    appId,
    method: text(method),
    path: text(uri),
    host: text(host),
    requestId: text(rid),
    fwd: text(fwd),
    protocol: tls === '1' ? 'https' : 'http',
    dyno,
    connectMs: reached ? connect : null,
    serviceMs: reached ? Math.max(0, total - Math.max(0, num(tr)) - Math.max(0, num(tw)) - connect) : null,
    status: error === 'H27' ? 499 : error ? 503 : num(st),
    bytes: fromDyno ? bodyBytes(num(b), clen, num(hsize), term) : 0,
    ...(error ? { error: { code: error, desc: ROUTER_ERRORS[error].desc } } : {}),
  };
}

/**
 * Response body bytes: the dyno's Content-Length when it sent the whole
 * body, else HAProxy's byte count less the response head (an estimate that
 * includes chunk framing).
 */
function bodyBytes(total: number, contentLength: string, head: number, term: string): number {
  if (/^\d+$/.test(contentLength) && term[1] !== 'D') return Math.min(Number(contentLength), Math.max(0, total));
  return Math.max(0, total - Math.max(0, head));
}

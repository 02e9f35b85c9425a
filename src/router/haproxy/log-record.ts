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

/** Fields of a line (LOG_FIELDS in config.ts), by position. */
const F = { tag: 0, slot: 1, host: 2, method: 3, uri: 4, rid: 5, fwd: 6, server: 7, tc: 8, ta: 9, tr: 10, tw: 11, st: 12, bytes: 13, term: 14, code: 15, clen: 16, hsize: 17, retries: 18, tls: 19 } as const;
const FIELDS = 20;

/**
 * One line's field bounds. Lines are read one at a time on the router's
 * path, so the bounds live in one reused pair of arrays and a field becomes
 * a string only if it is kept: numbers are read in place.
 */
class Fields {
  private readonly starts = new Int32Array(FIELDS);
  private readonly ends = new Int32Array(FIELDS);
  private line = '';

  /** False when the line has fewer fields than LOG_FIELDS. */
  split(line: string): boolean {
    this.line = line;
    let start = 0;
    for (let i = 0; i < FIELDS; i++) {
      let end = line.indexOf('\t', start);
      if (end < 0) {
        if (i < FIELDS - 1) return false;
        end = line.length;
      }
      this.starts[i] = start;
      this.ends[i] = end;
      start = end + 1;
    }
    return true;
  }

  raw(i: number): string {
    return this.line.slice(this.starts[i], this.ends[i]);
  }

  /** HAProxy writes `-` for an empty value and escapes unsafe characters as `#XX`. */
  text(i: number): string {
    const v = this.is(i, '-') ? '' : this.raw(i);
    return !v.includes('#') ? v : v.replace(/#([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }

  is(i: number, value: string): boolean {
    return this.ends[i]! - this.starts[i]! === value.length && this.line.startsWith(value, this.starts[i]);
  }

  /** A whole number HAProxy printed (`-1` for a timer that did not run), else -1 (`-`); `unsigned`: digits only. */
  int(i: number, unsigned = false): number {
    const end = this.ends[i]!;
    let k = this.starts[i]!;
    const negative = !unsigned && this.line.charCodeAt(k) === 45;
    if (negative) k++;
    if (k >= end) return -1;
    let n = 0;
    for (; k < end; k++) {
      const digit = this.line.charCodeAt(k) - 48;
      if (digit < 0 || digit > 9) return -1;
      n = n * 10 + digit;
    }
    return negative ? -n : n;
  }

  /** The field's character at `offset` ('' past its end). */
  char(i: number, offset: number): string {
    const k = this.starts[i]! + offset;
    return k < this.ends[i]! ? this.line.charAt(k) : '';
  }
}

const fields = new Fields();

/**
 * The error a request ended with, from what the frontend answered itself
 * (`code`) or HAProxy's two-letter termination state: who ended the
 * session (s/S server timeout/error, C/c client) and in which phase
 * (C connect, H response headers, D data).
 */
function errorOf(code: string, who: string, phase: string, dyno: string | null): RouterErrorCode | null {
  if (CODES.has(code)) return code as RouterErrorCode;
  if (who === 's' && phase === 'H') return 'H12';
  if (who === 's' && phase === 'C') return 'H19';
  if (who === 'S' && phase === 'C') return dyno ? 'H21' : 'H10';
  if (who === 'S' && phase === 'H') return 'H13';
  if ((who === 'C' || who === 'c') && phase !== 'D') return 'H27';
  return null;
}

/** A request log line (see LOG_FIELDS in config.ts): the record the control plane logs, and whether HAProxy had to retry a connect. */
export function parseRequestLine(line: string, ctx: LogContext): { record: RequestRecord; retried: boolean } | null {
  if (!line.startsWith(LOG_TAG) || !fields.split(line) || !fields.is(F.tag, LOG_TAG)) return null;
  const record = toRecord(ctx);
  if (!record) return null;
  // `%rc` counts connect retries, with a `+` when the request was redispatched to another dyno.
  const first = fields.char(F.retries, 0) === '+' ? fields.char(F.retries, 1) : fields.char(F.retries, 0);
  return { record, retried: first >= '1' && first <= '9' };
}

function toRecord(ctx: LogContext): RequestRecord | null {
  if (fields.is(F.slot, '-')) return null;
  const server = fields.raw(F.server);
  const host = fields.text(F.host);
  const where = ctx.resolve(fields.raw(F.slot), server);
  const appId = where.appId ?? ctx.appOfHost(host);
  if (!appId) return null;
  const dyno = server.startsWith('<') ? null : where.dynoName;
  const code = fields.raw(F.code);
  const error = errorOf(code, fields.char(F.term, 0), fields.char(F.term, 1), dyno);
  const tc = fields.int(F.tc);
  const reached = dyno !== null && tc >= 0 && !CODES.has(code);
  const connect = Math.max(0, tc);
  const status = fields.int(F.st);
  const fromDyno = reached && status > 0 && (!error || error === 'H27');
  const total = Math.max(0, fields.int(F.ta));
  const record: RequestRecord = {
    appId,
    method: fields.text(F.method),
    path: fields.text(F.uri),
    host,
    requestId: fields.text(F.rid),
    fwd: fields.text(F.fwd),
    protocol: fields.is(F.tls, '1') ? 'https' : 'http',
    dyno,
    connectMs: reached ? connect : null,
    serviceMs: reached ? Math.max(0, total - Math.max(0, fields.int(F.tr)) - Math.max(0, fields.int(F.tw)) - connect) : null,
    status: error === 'H27' ? 499 : error ? 503 : status,
    bytes: fromDyno ? bodyBytes(fields.int(F.bytes), fields.int(F.clen, true), fields.int(F.hsize), fields.char(F.term, 1)) : 0,
  };
  if (error) record.error = { code: error, desc: ROUTER_ERRORS[error].desc };
  return record;
}

/**
 * Response body bytes: the dyno's Content-Length when it sent the whole
 * body, else HAProxy's byte count less the response head (an estimate that
 * includes chunk framing).
 */
function bodyBytes(total: number, contentLength: number, head: number, phase: string): number {
  if (contentLength >= 0 && phase !== 'D') return Math.min(contentLength, Math.max(0, total));
  return Math.max(0, total - Math.max(0, head));
}

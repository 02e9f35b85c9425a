/**
 * Header handling for the Node data plane, on flat raw header arrays
 * (`[name, value, name, value, …]`) so repeated headers and their order
 * survive. Each request's headers are read in one pass that both copies what
 * the dyno gets and picks out what the router needs, instead of having Node
 * build `req.headers` and scanning again per field.
 */
import { MAX_LINE_BYTES } from './limits.js';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer',
  'transfer-encoding', 'upgrade',
]);

/** Request headers the router sets itself; a client's own values are replaced, not trusted. */
const ROUTER_SET = new Set(['x-request-id', 'x-request-start', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-for', 'via']);

/** What the router needs from a request's headers, read in one pass. */
export interface RequestHead {
  /** The headers the dyno gets before the router adds its own: no hop-by-hop or router-set ones. */
  headers: string[];
  host: string | undefined;
  hostCount: number;
  /** The first header line longer than MAX_LINE_BYTES, by name. */
  oversized: string | undefined;
  /** Several X-Request-Id headers count as none valid (empty). */
  requestId: string | undefined;
  forwardedFor: string | undefined;
  via: string | undefined;
  accept: string | undefined;
  /** The client sent a transfer coding; Node decoded it, so the body must be re-chunked. */
  chunked: boolean;
  contentLength: string | undefined;
}

/** Names a Connection header lists beyond the standard ones are hop-by-hop too (RFC 9110 §7.6.1). */
function addConnectionTokens(value: string, into: Set<string> | undefined): Set<string> | undefined {
  // What nearly every dyno and client sends: nothing beyond the standard hop-by-hop names.
  if (value === 'keep-alive' || value === 'close') return into;
  for (const t of value.split(',')) {
    const token = t.trim().toLowerCase();
    if (token && !HOP_BY_HOP.has(token)) (into ??= new Set()).add(token);
  }
  return into;
}

/** Drops the headers named in `drop` from a flat header list (rare: only with custom Connection tokens). */
function without(headers: string[], drop: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if (!drop.has((headers[i] as string).toLowerCase())) out.push(headers[i] as string, headers[i + 1] as string);
  }
  return out;
}

/** Reads a request's raw headers: what to forward, and the fields routing, logging and validation use. */
export function readRequestHead(raw: readonly string[]): RequestHead {
  const head: RequestHead = {
    headers: [], host: undefined, hostCount: 0, oversized: undefined, requestId: undefined, forwardedFor: undefined,
    via: undefined, accept: undefined, chunked: false, contentLength: undefined,
  };
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    if (name.length + value.length + 2 > MAX_LINE_BYTES) head.oversized ??= name;
    const lower = name.toLowerCase();
    switch (lower) {
      case 'host':
        head.hostCount++;
        head.host ??= value;
        break;
      case 'x-request-id':
        head.requestId = head.requestId === undefined ? value : '';
        break;
      case 'x-forwarded-for':
        head.forwardedFor ??= value;
        break;
      case 'via':
        head.via ??= value;
        break;
      case 'accept':
        head.accept = head.accept === undefined ? value : `${head.accept}, ${value}`;
        break;
      case 'transfer-encoding':
        head.chunked = true;
        break;
      case 'content-length':
        head.contentLength ??= value;
        break;
      case 'connection':
        listed = addConnectionTokens(value, listed);
        break;
    }
    if (!HOP_BY_HOP.has(lower) && !ROUTER_SET.has(lower)) head.headers.push(name, value);
  }
  if (head.chunked && head.contentLength !== undefined) (listed ??= new Set()).add('content-length');
  if (listed) head.headers = without(head.headers, listed);
  return head;
}

export interface ForwardInfo {
  clientIp: string;
  /** The router's own port the client connected to. */
  port: number;
  protocol: 'http' | 'https';
  requestId: string;
  startMs: number;
  /** The client asked to switch protocols (WebSocket): keep Upgrade/Connection. */
  upgrade: string | null;
}

/**
 * Appends the router's headers to `head.headers` (the list is the request's
 * own, so no copy) and returns the X-Forwarded-For value, the `fwd` of the log line.
 */
export function addForwardingHeaders(head: RequestHead, info: ForwardInfo): string {
  const fwd = head.forwardedFor ? `${head.forwardedFor}, ${info.clientIp}` : info.clientIp;
  head.headers.push(
    'X-Forwarded-For', fwd,
    'X-Forwarded-Proto', info.protocol,
    'X-Forwarded-Port', String(info.port),
    'X-Request-Id', info.requestId,
    'X-Request-Start', String(info.startMs),
    'Via', head.via ? `${head.via}, 1.1 cupaas` : '1.1 cupaas',
  );
  if (info.upgrade) head.headers.push('Connection', 'Upgrade', 'Upgrade', info.upgrade);
  if (head.chunked) head.headers.push('Transfer-Encoding', 'chunked');
  return fwd;
}

/**
 * The request head the dyno gets, ending with the blank line. Method, path,
 * names and values passed Node's request parser (strict llhttp: no CR, LF or
 * NUL, names are tokens) or are the router's own, so they are written as they are.
 */
export function requestHead(method: string, path: string, headers: readonly string[]): string {
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return head + '\r\n';
}

/** The headers a client receives from a dyno's response; Node adds its own framing. */
export function responseHeaders(raw: readonly string[]): string[] {
  let out: string[] = [];
  let listed: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (lower === 'connection') listed = addConnectionTokens(raw[i + 1] as string, listed);
    if (!HOP_BY_HOP.has(lower)) out.push(name, raw[i + 1] as string);
  }
  if (listed) out = without(out, listed);
  return out;
}

/**
 * Parses dynos' HTTP responses with llhttp through Node's own binding
 * (`HTTPParser` of `_http_common`), the parser `http.request` uses.
 *
 * Why this undocumented class: a dyno is user code, so its responses are
 * hostile, and their framing (Content-Length, chunked, close-delimited, 1xx,
 * 204/304/HEAD without a body, 101) and its smuggling checks are what a
 * proxy must get exactly right. llhttp is maintained with Node and already in
 * the binary, in C++; the JavaScript around `http.request` (ClientRequest,
 * Agent, IncomingMessage) cost more CPU per proxied request than the rest of
 * the router (docs/performance.md, round 3). This module is the only place
 * that touches the binding; `response-parser.test.ts` runs the framing cases
 * through it, so a Node upgrade that changes the binding fails there, and the
 * checks below fail at start-up instead of misparsing.
 */
import { createRequire } from 'node:module';

/** The binding's shape as used here (Node 20-24). */
interface Binding {
  new (): BindingParser;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kLenientNone: number;
}
interface BindingParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  execute(data: Buffer): number | Error;
  finish(): Error | undefined;
  close(): void;
  [callback: number]: unknown;
}

const HTTPParser = (createRequire(import.meta.url)('_http_common') as { HTTPParser?: Binding }).HTTPParser;
if (
  typeof HTTPParser !== 'function' ||
  ![HTTPParser.RESPONSE, HTTPParser.kOnHeaders, HTTPParser.kOnHeadersComplete, HTTPParser.kOnBody, HTTPParser.kOnMessageComplete, HTTPParser.kLenientNone].every(Number.isInteger)
) {
  throw new Error(`router: this Node (${process.version}) has no usable _http_common.HTTPParser; the Node data plane needs Node 20-24`);
}

/** A final (non-1xx) response head. */
export interface ResponseHead {
  status: number;
  statusMessage: string;
  /** Raw `[name, value, …]` in the dyno's order and case. */
  headers: string[];
  /** A 101 to a request that asked to upgrade: what follows is the new protocol's. */
  upgrade: boolean;
  /** The dyno lets the connection be reused after this response. */
  keepAlive: boolean;
}

/** `body`: framed as the head says; `none`: no body whatever the head says (HEAD, 304); `upgrade`: stop parsing. */
export type BodyMode = 'body' | 'none' | 'upgrade';

export interface ResponseHandlers {
  onHead(head: ResponseHead): BodyMode;
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

export interface ResponseParser {
  /**
   * Parses bytes from the dyno. Returns how many were consumed (fewer than
   * all only after an upgrade head: the rest belongs to the new protocol), or
   * an Error for a malformed response (framing, smuggling, oversized head).
   */
  execute(data: Buffer): number | Error;
  /** The dyno closed its side: ends a close-delimited body; an Error when a response was cut short. */
  finish(): Error | undefined;
  /** Frees the native parser; not from inside one of its callbacks. */
  close(): void;
}

const RETURN: Record<BodyMode, number> = { body: 0, none: 1, upgrade: 2 };

export function createResponseParser(maxHeadBytes: number, h: ResponseHandlers): ResponseParser {
  const p = new HTTPParser!();
  p.initialize(HTTPParser!.RESPONSE, {}, maxHeadBytes, HTTPParser!.kLenientNone);
  // llhttp hands over headers in batches of 32 when a head has more; the last batch comes with headers-complete.
  let early: string[] | undefined;
  /** An interim (1xx) response is skipped whole, its completion included. */
  let interim = false;
  p[HTTPParser!.kOnHeaders] = (batch: string[]) => void (early ??= []).push(...batch);
  p[HTTPParser!.kOnHeadersComplete] = (
    _major: number, _minor: number, batch: string[] | undefined, _method: unknown, _url: unknown,
    status: number, statusMessage: string, upgrade: boolean, keepAlive: boolean,
  ): number => {
    const headers = early ? (batch ? early.concat(batch) : early) : (batch ?? []);
    early = undefined;
    interim = status >= 100 && status < 200 && status !== 101;
    if (interim) return RETURN.none;
    return RETURN[h.onHead({ status, statusMessage, headers, upgrade, keepAlive })];
  };
  p[HTTPParser!.kOnBody] = (chunk: Buffer) => h.onBody(chunk);
  p[HTTPParser!.kOnMessageComplete] = () => {
    if (interim) interim = false;
    else h.onComplete();
  };
  return {
    execute: (data) => p.execute(data),
    finish: () => p.finish(),
    close: () => p.close(),
  };
}

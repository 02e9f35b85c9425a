import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Backend } from '../../domain/index.js';
import type { RequestRecord } from '../data-plane.js';
import { routerErrorPage, routerErrorStatus, type RouterErrorCode } from '../errors.js';
import type { DynoConnection } from './dyno-connection.js';
import { DynoExchange, type ExchangeContext } from './dyno-exchange.js';
import { requestHead, responseHeaders } from './headers.js';
import { sendPage } from './respond.js';
import type { BodyMode, ResponseHead } from './response-parser.js';

/** Methods a router may send twice (PUT and DELETE are idempotent too, but carry or cause more than a read). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How the request body goes to the dyno: none, re-chunked (the client's coding was decoded by Node), or as is (Content-Length). */
export type RequestBody = 'none' | 'chunked' | 'raw';

/** One HTTP request forwarded to a dyno: sends the request, relays the response, reports one record. */
export class HttpExchange extends DynoExchange {
  private sentAt = 0;
  private status = 0;
  private bytes = 0;
  /** The client's socket is full: the dyno's connection is paused until it drains. */
  private waitingForClient = false;
  /** Safe to send to another dyno if one drops it unanswered. */
  private readonly replayable: boolean;
  private readonly head: string;

  constructor(
    ctx: ExchangeContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    record: RequestRecord,
    headers: readonly string[],
    /** The body is streamed once, so such a request cannot be sent again. */
    private readonly body: RequestBody,
    private readonly accept: string | undefined,
  ) {
    super(ctx, record, false);
    this.replayable = body === 'none' && IDEMPOTENT_METHODS.has(record.method);
    this.head = requestHead(record.method, record.path, headers);
  }

  start(): void {
    this.res.on('finish', () => this.finish());
    this.res.on('close', () => this.onClientClose());
    this.tryNext();
  }

  onConnected(conn: DynoConnection, connectMs: number): void {
    // The client left while the router was connecting.
    if (this.settled) return conn.destroy();
    this.conn = conn;
    this.connectMs = connectMs;
    this.sentAt = Date.now();
    conn.send(this, this.head, this.body);
    if (this.body === 'none') this.ctx.firstByte.add(this);
    else this.sendBody(conn);
  }

  /** Streams the client's body to the dyno, pausing the client while the dyno's socket is full. */
  private sendBody(conn: DynoConnection): void {
    const req = this.req;
    req.on('data', (chunk: Buffer) => {
      if (this.conn !== conn || conn.writeBody(chunk)) return;
      req.pause();
      conn.onDrain(() => req.resume());
    });
    req.on('end', () => {
      if (this.conn !== conn) return;
      conn.endBody();
      if (!this.status) this.ctx.firstByte.add(this);
    });
  }

  onHead(head: ResponseHead): BodyMode {
    this.ctx.firstByte.remove(this);
    // A switch the client did not ask for is not a response the client can read.
    if (head.upgrade) return this.malformed();
    try {
      this.res.writeHead(head.status, head.statusMessage, responseHeaders(head.headers));
    } catch {
      // Node refuses what HTTP/1.1 cannot carry (a status below 100, a control character in the reason).
      return this.malformed();
    }
    this.status = head.status;
    return this.record.method === 'HEAD' || head.status === 304 ? 'none' : 'body';
  }

  /** Streams the dyno's response body to the client, counting its bytes for the log line. */
  onBody(chunk: Buffer): void {
    this.bytes += chunk.length;
    // Back-pressure: a slow client pauses the dyno's response instead of buffering it here.
    if (this.res.write(chunk) || this.waitingForClient) return;
    this.waitingForClient = true;
    const conn = this.conn as DynoConnection;
    conn.pause();
    this.res.once('drain', () => {
      this.waitingForClient = false;
      conn.resume();
    });
  }

  onComplete(): void {
    // The connection went back to the pool (or was closed) before this call.
    this.conn = undefined;
    this.discardBody();
    this.res.end();
  }

  /** A body still arriving once its dyno connection is done is read and dropped, so the client's connection is not left paused. */
  private discardBody(): void {
    if (this.body !== 'none' && this.req.isPaused()) this.req.resume();
  }

  /**
   * The connection to the dyno failed or the dyno's response was malformed.
   * Before any response byte, only a request that is safe to send twice is
   * sent again: the dyno may have acted on it before it died.
   */
  onLost(): void {
    const conn = this.conn as DynoConnection;
    this.conn = undefined;
    this.discardBody();
    if (this.settled) return;
    // A response under way can only be cut.
    if (this.status) return void this.res.destroy();
    if (!this.replayable) return this.failWith('H13');
    const backend = this.backend as Backend;
    this.ctx.firstByte.remove(this);
    if (conn.reused) {
      // Maybe only the keep-alive race (the dyno closed the idle socket as it was reused): try again without
      // blaming it. A dead dyno refuses the next connection, and is blamed then.
      this.ctx.balancer.release(backend.dynoId);
    } else {
      // A fresh connection the dyno accepted, then dropped: it died or is dying.
      this.attempts.failed(backend, 'dropped');
      // Named in the H13 line if no dyno is left to try.
      this.record.dyno = backend.dynoName;
    }
    this.tryNext();
  }

  /** A response head the client cannot be given: handled as a connection lost before the response. */
  private malformed(): BodyMode {
    const conn = this.conn;
    conn?.destroy();
    this.conn = conn;
    this.onLost();
    return 'none';
  }

  private onClientClose(): void {
    if (this.settled) return;
    // The client left first: stop the dyno's work on its behalf.
    if (!this.status) return this.failWith('H27');
    this.dropConnection();
    this.finish();
  }

  protected failWith(code: RouterErrorCode): void {
    this.dropConnection();
    this.discardBody();
    if (code !== 'H27') sendPage(this.res, routerErrorPage(code, this.accept), this.record.method);
    this.finish(code);
  }

  private finish(error?: RouterErrorCode): void {
    const status = error && !this.status ? routerErrorStatus(error) : this.status;
    this.report(status, Date.now() - this.sentAt, this.bytes, error);
  }
}

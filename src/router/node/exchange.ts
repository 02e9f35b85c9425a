import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Backend } from '../../domain/index.js';
import type { RequestRecord } from '../data-plane.js';
import { routerErrorPage, routerErrorStatus, type RouterErrorCode } from '../errors.js';
import { DynoExchange, type ExchangeContext } from './dyno-exchange.js';
import { responseHeaders } from './headers.js';
import { sendPage } from './respond.js';

/** Methods a router may send twice (PUT and DELETE are idempotent too, but carry or cause more than a read). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** One HTTP request forwarded to a dyno: sends the request, relays the response, reports one record. */
export class HttpExchange extends DynoExchange {
  private sentAt = 0;
  private status = 0;
  private bytes = 0;
  /** Safe to send to another dyno if one drops it unanswered. */
  private readonly replayable: boolean;

  constructor(
    ctx: ExchangeContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    record: RequestRecord,
    headers: string[],
    /** The body is streamed once, so such a request cannot be sent again. */
    private readonly hasBody: boolean,
    private readonly accept: string | undefined,
  ) {
    super(ctx, record, { method: record.method, path: record.path, headers, agent: ctx.agent });
    this.replayable = !hasBody && IDEMPOTENT_METHODS.has(record.method);
  }

  start(): void {
    this.res.on('finish', () => this.finish());
    this.res.on('close', () => this.onClientClose());
    this.tryNext();
  }

  onConnected(proxyReq: ClientRequest, connectMs: number): void {
    if (this.settled) {
      // The client left while the router was connecting. Destroying an unanswered request emits 'socket hang up'.
      proxyReq.on('error', () => {});
      return void proxyReq.destroy();
    }
    this.proxyReq = proxyReq;
    this.connectMs = connectMs;
    this.sentAt = Date.now();
    proxyReq.on('finish', () => {
      if (proxyReq === this.proxyReq) this.ctx.firstByte.add(this);
    });
    proxyReq.on('error', () => this.onDynoError(proxyReq));
    proxyReq.on('response', (proxyRes: IncomingMessage) => this.relay(proxyRes));
    if (this.hasBody) this.req.pipe(proxyReq);
    // A bodiless request may already have ended (a retry after a stale socket): end it explicitly.
    else proxyReq.end();
  }

  /**
   * The connection to the dyno failed before any response byte. Only a
   * request that is safe to send twice is sent again: the dyno may have
   * acted on it before it died.
   */
  private onDynoError(proxyReq: ClientRequest): void {
    // A started response reports failures through its own stream; an abandoned attempt has nothing to report.
    if (this.status || this.settled || proxyReq !== this.proxyReq) return;
    if (!this.replayable) return this.failWith('H13');
    const backend = this.backend as Backend;
    this.ctx.firstByte.remove(this);
    this.proxyReq = undefined;
    if (proxyReq.reusedSocket) {
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

  /** Streams the dyno's response to the client, counting body bytes for the log line. */
  private relay(proxyRes: IncomingMessage): void {
    this.ctx.firstByte.remove(this);
    this.status = proxyRes.statusCode ?? 502;
    const res = this.res;
    res.writeHead(this.status, proxyRes.statusMessage, responseHeaders(proxyRes.rawHeaders));
    proxyRes.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      // Back-pressure: a slow client pauses the dyno's response instead of buffering it here.
      if (!res.write(chunk)) {
        proxyRes.pause();
        res.once('drain', () => proxyRes.resume());
      }
    });
    proxyRes.on('end', () => res.end());
    proxyRes.on('error', () => res.destroy());
    proxyRes.on('aborted', () => res.destroy());
  }

  private onClientClose(): void {
    if (this.settled) return;
    // The client left first: stop the dyno's work on its behalf.
    if (!this.status) return this.failWith('H27');
    this.proxyReq?.destroy();
    this.finish();
  }

  protected failWith(code: RouterErrorCode): void {
    this.proxyReq?.destroy();
    if (code !== 'H27') sendPage(this.res, routerErrorPage(code, this.accept), this.record.method);
    this.finish(code);
  }

  private finish(error?: RouterErrorCode): void {
    const status = error && !this.status ? routerErrorStatus(error) : this.status;
    this.report(status, Date.now() - this.sentAt, this.bytes, error);
  }
}

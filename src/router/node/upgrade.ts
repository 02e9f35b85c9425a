import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestRecord } from '../data-plane.js';
import { routerErrorPage, routerErrorStatus, type RouterErrorCode } from '../errors.js';
import { DynoExchange, type ExchangeContext } from './dyno-exchange.js';
import { responseHeaders } from './headers.js';
import { sendPageOnSocket } from './respond.js';

const statusHead = (res: IncomingMessage, headers: readonly string[]): string => {
  let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return head + '\r\n';
};

/** Joins two sockets until either side closes. */
function splice(a: Duplex, b: Duplex): void {
  a.pipe(b).pipe(a);
  for (const [x, y] of [[a, b], [b, a]] as const) {
    x.on('error', () => y.destroy());
    x.on('close', () => y.destroy());
  }
}

/**
 * Forwards a protocol upgrade (WebSocket): after the dyno's 101 the two
 * sockets are spliced and the router steps out. The request counts as in
 * flight only until the switch, so a drain does not wait for long-lived sockets.
 */
export class UpgradeExchange extends DynoExchange {
  private started = Date.now();

  constructor(
    ctx: ExchangeContext,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    record: RequestRecord,
    headers: string[],
    private readonly accept: string | undefined,
  ) {
    // A connection of its own: after the switch the socket belongs to the WebSocket, not the pool.
    super(ctx, record, { method: record.method, path: record.path, headers, agent: false });
  }

  start(): void {
    this.socket.on('error', () => this.proxyReq?.destroy());
    this.started = Date.now();
    this.tryNext();
  }

  onConnected(proxyReq: ClientRequest, connectMs: number): void {
    this.proxyReq = proxyReq;
    this.connectMs = connectMs;
    this.ctx.firstByte.add(this);
    proxyReq.on('upgrade', (res: IncomingMessage, dynoSocket: Duplex, dynoHead: Buffer) => {
      this.ctx.firstByte.remove(this);
      this.socket.write(statusHead(res, res.rawHeaders));
      if (dynoHead.length) this.socket.write(dynoHead);
      if (this.head.length) dynoSocket.write(this.head);
      splice(this.socket, dynoSocket);
      this.finish(101);
    });
    proxyReq.on('response', (res: IncomingMessage) => {
      // The dyno declined to switch: relay its answer and close.
      this.ctx.firstByte.remove(this);
      this.socket.write(statusHead(res, [...responseHeaders(res.rawHeaders), 'Connection', 'close']));
      res.pipe(this.socket);
      res.on('end', () => this.finish(res.statusCode ?? 502));
    });
    proxyReq.on('error', () => {
      if (!this.settled) this.failWith('H13');
    });
    proxyReq.end();
  }

  protected failWith(code: RouterErrorCode): void {
    this.proxyReq?.destroy();
    sendPageOnSocket(this.socket, routerErrorPage(code, this.accept));
    this.finish(routerErrorStatus(code), code);
  }

  /** Service time counts from the first connection attempt, without the connect time. */
  private finish(status: number, error?: RouterErrorCode): void {
    this.report(status, Date.now() - this.started - (this.connectMs ?? 0), 0, error);
  }
}

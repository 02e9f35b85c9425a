import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RequestRecord } from '../data-plane.js';
import { routerErrorPage, routerErrorStatus, type RouterErrorCode } from '../errors.js';
import type { DynoConnection } from './dyno-connection.js';
import { DynoExchange, type ExchangeContext } from './dyno-exchange.js';
import { requestHead, responseHeaders } from './headers.js';
import { sendPageOnSocket } from './respond.js';
import type { BodyMode, ResponseHead } from './response-parser.js';

const statusHead = (status: number, message: string, headers: readonly string[]): string => {
  let head = `HTTP/1.1 ${status} ${message}\r\n`;
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
  private readonly requestHead: string;
  /** The dyno's answer head, written to the client once the dyno's socket is handed over (101) or at once (any other status). */
  private answer = '';
  private status = 0;

  constructor(
    ctx: ExchangeContext,
    private readonly socket: Duplex,
    private readonly head: Buffer,
    record: RequestRecord,
    headers: readonly string[],
    private readonly accept: string | undefined,
  ) {
    // A connection of its own: after the switch the socket belongs to the WebSocket, not the pool.
    super(ctx, record, true);
    this.requestHead = requestHead(record.method, record.path, headers);
  }

  start(): void {
    this.socket.on('error', () => this.dropConnection());
    this.started = Date.now();
    this.tryNext();
  }

  onConnected(conn: DynoConnection, connectMs: number): void {
    if (this.settled) return conn.destroy();
    this.conn = conn;
    this.connectMs = connectMs;
    this.ctx.firstByte.add(this);
    conn.send(this, this.requestHead, 'none');
  }

  onHead(head: ResponseHead): BodyMode {
    this.ctx.firstByte.remove(this);
    this.status = head.status;
    if (head.upgrade && head.status === 101) {
      this.answer = statusHead(head.status, head.statusMessage, head.headers);
      return 'upgrade';
    }
    // The dyno declined to switch: relay its answer and close.
    this.socket.write(statusHead(head.status, head.statusMessage, [...responseHeaders(head.headers), 'Connection', 'close']));
    return this.record.method === 'HEAD' ? 'none' : 'body';
  }

  onSwitched(dynoSocket: Socket, rest: Buffer): void {
    this.conn = undefined;
    this.socket.write(this.answer);
    if (rest.length) this.socket.write(rest);
    if (this.head.length) dynoSocket.write(this.head);
    splice(this.socket, dynoSocket);
    this.finish(101);
  }

  onBody(chunk: Buffer): void {
    this.socket.write(chunk);
  }

  onComplete(): void {
    this.conn = undefined;
    this.socket.end();
    this.finish(this.status);
  }

  onLost(): void {
    this.conn = undefined;
    if (this.settled) return;
    if (this.status) {
      this.socket.destroy();
      return this.finish(this.status);
    }
    this.failWith('H13');
  }

  protected failWith(code: RouterErrorCode): void {
    this.dropConnection();
    sendPageOnSocket(this.socket, routerErrorPage(code, this.accept));
    this.finish(routerErrorStatus(code), code);
  }

  /** Service time counts from the first connection attempt, without the connect time. */
  private finish(status: number, error?: RouterErrorCode): void {
    this.report(status, Date.now() - this.started - (this.connectMs ?? 0), 0, error);
  }
}

import type { Socket } from 'node:net';
import { MAX_RESPONSE_HEAD_BYTES } from './limits.js';
import { createResponseParser, type BodyMode, type ResponseHandlers, type ResponseHead, type ResponseParser } from './response-parser.js';

/** Who is using a connection: gets the dyno's response, and hears when the connection is lost before it completed. */
export interface ResponseSink extends ResponseHandlers {
  /** Closed, reset or a malformed response before the response completed; the connection is destroyed. */
  onLost(): void;
  /**
   * After `onHead` answered `upgrade`: the socket now carries the new
   * protocol and leaves the pool for good, with the bytes the dyno sent after the head.
   */
  onSwitched?(socket: Socket, rest: Buffer): void;
}

/** What a connection tells its pool. */
export interface ConnectionOwner {
  /** Reusable again: the request was written whole and the dyno keeps the connection alive. */
  idle(conn: DynoConnection): void;
  gone(conn: DynoConnection): void;
}

/**
 * One keep-alive TCP connection to a dyno, used by one request at a time.
 * The router writes the request head itself (one write: the names and values
 * were checked by Node's request parser, the router's own headers are its
 * own) and parses the response with llhttp (response-parser.ts).
 */
export class DynoConnection implements ResponseHandlers {
  /** Served a request before: a failure may be the keep-alive race, not a dead dyno. */
  reused = false;
  private sink: ResponseSink | undefined;
  private readonly parser: ResponseParser;
  private keepAlive = false;
  private requestDone = false;
  private chunked = false;
  /** The sink whose upgrade the dyno accepted, until the socket is handed over. */
  private switching: ResponseSink | undefined;

  constructor(
    readonly socket: Socket,
    /** The pool's key: the dyno's `host:port`. */
    readonly key: string,
    private readonly owner: ConnectionOwner,
    /** The socket was made with `onread` and hands its reads to `onRead`; else it is read as a stream. */
    private readonly sharedReads: boolean,
  ) {
    this.parser = createResponseParser(MAX_RESPONSE_HEAD_BYTES, this);
    socket.setNoDelay(true);
    if (!sharedReads) socket.on('data', (d: Buffer) => this.onRead(d, d.length));
    socket.on('end', () => this.onEnd());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  /**
   * Sends a request head (and starts its body, if any: see `writeBody`).
   * `head` ends with the blank line; latin1 keeps every byte as Node's parser read it.
   */
  send(sink: ResponseSink, head: string, body: 'none' | 'chunked' | 'raw'): void {
    this.sink = sink;
    this.keepAlive = false;
    this.chunked = body === 'chunked';
    this.requestDone = body === 'none';
    this.socket.write(head, 'latin1');
  }

  /** Writes a piece of the request body; false when the socket's buffer is full (wait for `onDrain`). */
  writeBody(chunk: Buffer): boolean {
    if (!this.chunked) return this.socket.write(chunk);
    this.socket.cork();
    this.socket.write(`${chunk.length.toString(16)}\r\n`, 'latin1');
    this.socket.write(chunk);
    const ok = this.socket.write('\r\n', 'latin1');
    this.socket.uncork();
    return ok;
  }

  endBody(): void {
    if (this.chunked) this.socket.write('0\r\n\r\n', 'latin1');
    this.requestDone = true;
  }

  onDrain(fn: () => void): void {
    this.socket.once('drain', fn);
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  /** Drops the connection; its sink hears nothing more. */
  destroy(): void {
    this.sink = undefined;
    this.socket.destroy();
  }

  onHead(head: ResponseHead): BodyMode {
    // A response nobody asked for (a second one, or one on an idle connection): the dyno is out of step.
    if (!this.sink) {
      this.socket.destroy();
      return 'none';
    }
    this.keepAlive = head.keepAlive;
    const mode = this.sink.onHead(head);
    if (mode === 'upgrade') this.switching = this.sink;
    return mode;
  }

  onBody(chunk: Buffer): void {
    // A piece of the shared read buffer is copied: Node's `onread` buffer is valid only during the
    // read callback, and the client's socket may keep a chunk queued (a partial write) past the next read.
    this.sink?.onBody(this.sharedReads ? Buffer.from(chunk) : chunk);
  }

  onComplete(): void {
    // llhttp completes an upgrade head too; the socket is handed over once the parse returns.
    if (this.switching) return;
    const sink = this.sink;
    this.sink = undefined;
    // Back to the pool before the sink finishes, so a request it triggers can reuse this connection.
    if (this.keepAlive && this.requestDone && !this.socket.destroyed) {
      this.reused = true;
      this.owner.idle(this);
    } else {
      this.socket.destroy();
    }
    sink?.onComplete();
  }

  /** `n` bytes the dyno sent, at the start of `buf` (possibly a read buffer shared by every connection). */
  onRead(buf: Uint8Array, n: number): void {
    const d = n === buf.length && Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, n);
    const parsed = this.parser.execute(d);
    if (parsed instanceof Error) return this.lose();
    // Copied: a shared read buffer is overwritten by the next read.
    if (this.switching) this.handOver(this.switching, Buffer.from(d.subarray(parsed)));
  }

  private handOver(sink: ResponseSink, rest: Buffer): void {
    this.switching = undefined;
    this.sink = undefined;
    for (const event of ['data', 'end', 'error', 'close']) this.socket.removeAllListeners(event);
    this.parser.close();
    this.owner.gone(this);
    sink.onSwitched?.(this.socket, rest);
  }

  private onEnd(): void {
    // A close-delimited body ends here; any other response cut short is lost.
    if (this.parser.finish() instanceof Error) this.lose();
    this.socket.destroy();
  }

  private lose(): void {
    const sink = this.sink;
    this.sink = undefined;
    this.socket.destroy();
    sink?.onLost();
  }

  private onClose(): void {
    this.lose();
    this.owner.gone(this);
    // The native parser is freed outside of its own callbacks: 'close' comes on a later tick than any parse.
    this.parser.close();
  }
}

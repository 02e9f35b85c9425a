import { createServer, type AddressInfo, type Socket } from 'node:net';

/** A line longer than this without a newline is not HAProxy's (its lines are at most 16 KB); it is dropped. */
const MAX_PENDING = 1 << 20;
/**
 * After each read the stream pauses this long, so under load one read
 * carries many lines (the kernel buffer and HAProxy's ring hold them
 * meanwhile) instead of the router's process waking up once per request.
 * A line after a quiet spell still arrives at once.
 */
const BATCH_MS = 100;
const NEWLINE = 0x0a;
const EMPTY: Buffer = Buffer.alloc(0);

export interface LogReceiver {
  /** Listens on a loopback port (0: a free one; an adopted HAProxy forwards to the port it was started with) and resolves with it. */
  listen(port: number): Promise<number>;
  close(): void;
}

/**
 * The loopback TCP server HAProxy's log ring forwards request lines to. The
 * ring batches lines under load and the reader reads at most every
 * BATCH_MS, so one read carries many of them instead of one datagram (and
 * one event-loop turn) per request.
 */
export function createLogReceiver(onLine: (line: string) => void): LogReceiver {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let rest: Buffer = EMPTY;
    socket.on('data', (chunk: Buffer) => {
      const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      // Lines end in a newline byte, which never occurs inside a UTF-8 sequence: decode all whole lines at once.
      const last = data.lastIndexOf(NEWLINE);
      if (last >= 0) {
        const text = data.toString('utf8', 0, last);
        let start = 0;
        for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
          onLine(text.slice(start, end));
          start = end + 1;
        }
        onLine(text.slice(start));
      }
      rest = data.length - last - 1 > MAX_PENDING ? EMPTY : data.subarray(last + 1);
      // More is waiting now after a full read, or while the stream still holds chunks read before
      // the last pause took effect: each may be a single line, and draining them one per pause once
      // stalled the stream for seconds while HAProxy's ring overflowed. Otherwise the kernel's
      // buffer is empty: wait for more to gather.
      if (chunk.length < socket.readableHighWaterMark && socket.readableLength === 0) {
        socket.pause();
        setTimeout(() => socket.resume(), BATCH_MS).unref();
      }
    });
    // HAProxy reconnects on its own (e.g. after a restart); a broken connection only ends this one.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    listen: (port) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close() {
      server.close();
      sockets.forEach((s) => s.destroy());
    },
  };
}

import { createServer, type AddressInfo, type Socket } from 'node:net';

/** A line longer than this without a newline is not HAProxy's (its lines are at most 16 KB); it is dropped. */
const MAX_PENDING = 1 << 20;

export interface LogReceiver {
  /** Listens on a loopback port (0: a free one; an adopted HAProxy forwards to the port it was started with) and resolves with it. */
  listen(port: number): Promise<number>;
  close(): void;
}

/**
 * The loopback TCP server HAProxy's log ring forwards request lines to. The
 * ring batches lines under load, so one read carries many of them instead
 * of one datagram (and one event-loop turn) per request.
 */
export function createLogReceiver(onLine: (line: string) => void): LogReceiver {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let start = 0;
      for (let end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n', start)) {
        onLine(pending.slice(start, end));
        start = end + 1;
      }
      pending = pending.length - start > MAX_PENDING ? '' : pending.slice(start);
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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { httpDate } from '../shared/time.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * An HTTP server bound before its handler exists, so the real port (when 0
 * was asked for) is known while the platform is still being wired. It closes
 * while tracking its keep-alive sockets.
 */
export interface ListeningServer {
  server: Server;
  port: number;
  setHandler(handler: RequestHandler): void;
  close(): Promise<void>;
}

export async function listen(host: string, port: number): Promise<ListeningServer> {
  let handler: RequestHandler | null = null;
  const server = createServer((req, res) => {
    // Our Date header spares Node's, which would map the time zone's data for good (see shared/time.ts).
    res.setHeader('Date', httpDate());
    if (handler) void handler(req, res);
    else res.writeHead(503, { 'Retry-After': '1' }).end();
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    setHandler: (h) => (handler = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Give in-flight requests a moment, then cut what remains (log tails, stalled clients).
        setTimeout(() => sockets.forEach((s) => s.destroy()), 2000).unref();
      }),
  };
}

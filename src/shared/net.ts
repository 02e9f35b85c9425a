import { createServer, type AddressInfo } from 'node:net';

/**
 * A TCP port on `host` that was free a moment ago (the kernel picks it), for
 * programs that must be told their port before they bind it themselves.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A GET to an app through the router, by its Host header (fetch cannot set
 * Host, so this uses node:http).
 */
import { request, type Agent } from 'node:http';

export interface AppReply {
  status: number;
  body: string;
  ms: number;
}

export function getApp(routerUrl: string, app: string, path = '/', agent?: Agent): Promise<AppReply> {
  const router = new URL(routerUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: router.hostname, port: router.port, path, agent, headers: { Host: `${app}.localhost` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ms: performance.now() - started }));
    });
    req.on('error', reject);
    req.end();
  });
}

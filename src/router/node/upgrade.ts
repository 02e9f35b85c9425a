import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Backend } from '../../domain/index.js';
import { ROUTER_ERRORS, routerErrorPage, routerErrorStatus, type RouterErrorCode } from '../errors.js';
import { connectToDyno } from './connect.js';
import type { ExchangeDeps, ExchangeOutcome, Forwarded } from './exchange.js';
import { responseHeaders } from './headers.js';
import { sendPageOnSocket } from './respond.js';

export interface Upgraded extends Omit<Forwarded, 'res' | 'hasBody'> {
  socket: Duplex;
  head: Buffer;
}

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
export function upgradeExchange(d: ExchangeDeps, u: Upgraded, backend: Backend): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    d.balancer.acquire(backend.dynoId);
    const started = Date.now();
    let settled = false;
    const finish = (status: number, connectMs: number, error?: RouterErrorCode) => {
      if (settled) return;
      settled = true;
      d.balancer.release(backend.dynoId);
      d.onRequest({
        ...u.record, dyno: backend.dynoName, connectMs, serviceMs: Date.now() - started - connectMs, status, bytes: 0,
        ...(error ? { error: { code: error, desc: ROUTER_ERRORS[error].desc } } : {}),
      });
      resolve('done');
    };
    connectToDyno(
      { backend, method: u.req.method ?? 'GET', path: u.req.url ?? '/', headers: u.headers, agent: false, connectTimeoutMs: d.connectTimeoutMs },
      {
        onFailed: (reason) => {
          d.balancer.release(backend.dynoId);
          resolve(reason);
        },
        onConnected: (proxyReq, connectMs) => {
          const fail = (code: RouterErrorCode) => {
            proxyReq.destroy();
            sendPageOnSocket(u.socket, routerErrorPage(code, u.req.headers.accept));
            finish(routerErrorStatus(code), connectMs, code);
          };
          const timer = setTimeout(() => fail('H12'), d.firstByteTimeoutMs);
          proxyReq.on('upgrade', (res, dynoSocket, dynoHead) => {
            clearTimeout(timer);
            u.socket.write(statusHead(res, res.rawHeaders));
            if (dynoHead.length) u.socket.write(dynoHead);
            if (u.head.length) dynoSocket.write(u.head);
            splice(u.socket, dynoSocket);
            finish(101, connectMs);
          });
          proxyReq.on('response', (res) => {
            // The dyno declined to switch: relay its answer and close.
            clearTimeout(timer);
            u.socket.write(statusHead(res, [...responseHeaders(res.rawHeaders), 'Connection', 'close']));
            res.pipe(u.socket);
            res.on('end', () => finish(res.statusCode ?? 502, connectMs));
          });
          proxyReq.on('error', () => {
            clearTimeout(timer);
            if (!settled) fail('H13');
          });
          u.socket.on('error', () => proxyReq.destroy());
          proxyReq.end();
        },
      },
    );
  });
}

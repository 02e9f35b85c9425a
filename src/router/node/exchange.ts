import type { Agent, ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Backend } from '../../domain/index.js';
import type { RequestRecord } from '../data-plane.js';
import { ROUTER_ERRORS, routerErrorPage, routerErrorStatus, type RouterErrorCode } from '../errors.js';
import type { Balancer } from './balancer.js';
import { connectToDyno, type ConnectFailure } from './connect.js';
import { responseHeaders } from './headers.js';
import { sendPage } from './respond.js';

/** The request as the router forwards it, plus the fields of its log line known before a dyno is picked. */
export interface Forwarded {
  req: IncomingMessage;
  res: ServerResponse;
  headers: string[];
  /** The request has a body; a reset on a reused socket can then not be retried. */
  hasBody: boolean;
  record: Omit<RequestRecord, 'dyno' | 'connectMs' | 'serviceMs' | 'status' | 'bytes' | 'error'>;
}

export interface ExchangeDeps {
  balancer: Balancer;
  agent: Agent;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  onRequest(record: RequestRecord): void;
}

/** `stale`: a keep-alive socket the dyno had closed; retry without blaming the dyno. */
export type ExchangeOutcome = 'done' | ConnectFailure | 'stale';

/** Sends one request to one dyno and relays its response; resolves `done` once the request is logged. */
export function exchange(d: ExchangeDeps, f: Forwarded, backend: Backend): Promise<ExchangeOutcome> {
  return new Promise((resolve) => {
    d.balancer.acquire(backend.dynoId);
    connectToDyno(
      { backend, method: f.req.method ?? 'GET', path: f.req.url ?? '/', headers: f.headers, agent: d.agent, connectTimeoutMs: d.connectTimeoutMs },
      {
        onFailed: (reason) => {
          d.balancer.release(backend.dynoId);
          resolve(reason);
        },
        onConnected: (proxyReq, connectMs) => relay(d, f, backend, proxyReq, connectMs, resolve),
      },
    );
  });
}

function relay(
  d: ExchangeDeps,
  f: Forwarded,
  backend: Backend,
  proxyReq: ClientRequest,
  connectMs: number,
  resolve: (o: ExchangeOutcome) => void,
): void {
  const started = Date.now();
  let bytes = 0;
  let status = 0;
  let firstByteTimer: NodeJS.Timeout | undefined;
  let settled = false;

  const finish = (error?: RouterErrorCode, outcome: ExchangeOutcome = 'done') => {
    if (settled) return;
    settled = true;
    clearTimeout(firstByteTimer);
    d.balancer.release(backend.dynoId);
    if (outcome === 'done') {
      d.onRequest({
        ...f.record, dyno: backend.dynoName, connectMs, serviceMs: Date.now() - started, bytes,
        status: error && !status ? routerErrorStatus(error) : status,
        ...(error ? { error: { code: error, desc: ROUTER_ERRORS[error].desc } } : {}),
      });
    }
    resolve(outcome);
  };
  const failWith = (code: RouterErrorCode) => {
    proxyReq.destroy();
    if (code !== 'H27') sendPage(f.res, routerErrorPage(code, f.req.headers.accept), f.req.method);
    finish(code);
  };

  proxyReq.on('finish', () => {
    firstByteTimer = setTimeout(() => failWith('H12'), d.firstByteTimeoutMs);
  });
  proxyReq.on('error', () => {
    if (status) return; // The response already started; its own stream reports the failure.
    if (proxyReq.reusedSocket && !f.hasBody && !settled) return finish(undefined, 'stale');
    failWith('H13');
  });
  proxyReq.on('response', (proxyRes) => {
    clearTimeout(firstByteTimer);
    status = proxyRes.statusCode ?? 502;
    f.res.writeHead(status, proxyRes.statusMessage, responseHeaders(proxyRes.rawHeaders));
    proxyRes.on('data', (chunk: Buffer) => (bytes += chunk.length));
    proxyRes.pipe(f.res);
    proxyRes.on('error', () => f.res.destroy());
    proxyRes.on('aborted', () => f.res.destroy());
  });
  f.res.on('finish', () => finish());
  f.res.on('close', () => {
    if (settled) return;
    // The client left first: stop the dyno's work on its behalf.
    if (!status) return failWith('H27');
    proxyReq.destroy();
    finish();
  });
  // A bodiless request may already have ended (a retry after a stale socket): end it explicitly.
  if (f.hasBody) f.req.pipe(proxyReq);
  else proxyReq.end();
}

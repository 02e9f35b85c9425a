import { request, type Agent, type ClientRequest } from 'node:http';
import type { Backend } from '../../domain/index.js';

export type ConnectFailure = 'refused' | 'timeout';

export interface ConnectCallbacks {
  /** Called synchronously once the socket is connected; attach handlers here. Nothing was sent yet. */
  onConnected(proxyReq: ClientRequest, connectMs: number): void;
  /** Nothing reached the dyno: safe to retry elsewhere. */
  onFailed(reason: ConnectFailure): void;
}

export interface DynoRequest {
  backend: Backend;
  method: string;
  path: string;
  headers: string[];
  /** Keep-alive pool, or false for a connection of its own (upgrades). */
  agent: Agent | false;
  connectTimeoutMs: number;
}

/**
 * Opens a request to a dyno and reports when its socket is connected,
 * before any byte of the request is written, so a refused or slow connect can
 * be retried on another dyno without losing the request body.
 */
export function connectToDyno(r: DynoRequest, cb: ConnectCallbacks): void {
  const started = Date.now();
  const proxyReq = request({
    host: r.backend.host,
    port: r.backend.port,
    method: r.method,
    path: r.path,
    headers: r.headers,
    agent: r.agent,
    setHost: false,
  });
  let settled = false;
  const fail = (reason: ConnectFailure) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    proxyReq.destroy();
    cb.onFailed(reason);
  };
  const timer = setTimeout(() => fail('timeout'), r.connectTimeoutMs);
  const onError = () => fail('refused');
  proxyReq.on('error', onError);
  proxyReq.on('socket', (socket) => {
    const connected = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proxyReq.off('error', onError);
      cb.onConnected(proxyReq, Date.now() - started);
    };
    if (socket.connecting) socket.once('connect', connected);
    else connected();
  });
}

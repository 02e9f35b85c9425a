import { request, type Agent, type ClientRequest } from 'node:http';
import type { Socket } from 'node:net';
import type { Backend } from '../../domain/index.js';
import { createDeadlines } from './deadlines.js';

export type ConnectFailure = 'refused' | 'timeout';

export interface ConnectCallbacks {
  /** Called synchronously once the socket is connected; attach handlers here. Nothing was sent yet. */
  onConnected(proxyReq: ClientRequest, connectMs: number): void;
  /** Nothing reached the dyno: safe to retry elsewhere. */
  onFailed(reason: ConnectFailure): void;
}

export interface DynoRequest {
  method: string;
  path: string;
  headers: string[];
  /** Keep-alive pool, or false for a connection of its own (upgrades). */
  agent: Agent | false;
}

export interface Connector {
  /**
   * Opens a request to a dyno and reports when its socket is connected,
   * before any byte of the request is written, so a refused or slow connect
   * can be retried on another dyno without losing the request body.
   */
  connect(backend: Backend, r: DynoRequest, cb: ConnectCallbacks): void;
  close(): void;
}

/** One request waiting for its socket to connect. */
interface Pending {
  proxyReq: ClientRequest;
  cb: ConnectCallbacks;
  started: number;
  settled: boolean;
}

export function createConnector(connectTimeoutMs: number): Connector {
  const fail = (p: Pending, reason: ConnectFailure) => {
    if (p.settled) return;
    p.settled = true;
    connecting.remove(p);
    p.proxyReq.destroy();
    p.cb.onFailed(reason);
  };
  const connecting = createDeadlines<Pending>(connectTimeoutMs, (p) => fail(p, 'timeout'));

  const connected = (p: Pending) => {
    if (p.settled) return;
    p.settled = true;
    connecting.remove(p);
    p.cb.onConnected(p.proxyReq, Date.now() - p.started);
  };

  return {
    connect(backend, r, cb) {
      const proxyReq = request({
        host: backend.host, port: backend.port, method: r.method, path: r.path, headers: r.headers, agent: r.agent,
        setHost: false,
      });
      const p: Pending = { proxyReq, cb, started: Date.now(), settled: false };
      // Stays for the request's life, a no-op once connected: the exchange handles later errors.
      proxyReq.on('error', () => fail(p, 'refused'));
      // A pooled socket is already connected: only a new one needs the connect timeout.
      // Both the keep-alive agent (no socket limit) and `agent: false` hand out a socket at once.
      proxyReq.once('socket', (socket: Socket) => {
        if (!socket.connecting) return connected(p);
        connecting.add(p);
        socket.once('connect', () => connected(p));
      });
    },
    close: () => connecting.clear(),
  };
}

import { connect as netConnect, type OnReadOpts, type Socket } from 'node:net';
import type { Backend } from '../../domain/index.js';
import { createDeadlines } from './deadlines.js';
import { DynoConnection, type ConnectionOwner } from './dyno-connection.js';

export type ConnectFailure = 'refused' | 'timeout';

export interface ConnectCallbacks {
  /** The connection is ready and nothing was sent on it for this request yet. */
  onConnected(conn: DynoConnection, connectMs: number): void;
  /** Nothing reached the dyno: safe to retry elsewhere. */
  onFailed(reason: ConnectFailure): void;
}

export interface Connector {
  /**
   * Hands over a connection to the dyno before any byte of the request is
   * written, so a refused or slow connect can be retried on another dyno
   * without losing the request body. An idle keep-alive connection is handed
   * over at once (synchronously); a new one once connected. `own`: a new
   * connection that never goes back to the pool (upgrades).
   */
  connect(backend: Backend, cb: ConnectCallbacks, own?: boolean): void;
  /**
   * The dynos still routed to: idle connections to any other are closed now,
   * and a busy one when its request is done, not kept. A dyno that is gone may
   * never close them itself (a crashed node sends nothing).
   */
  retain(backends: Iterable<Backend>): void;
  /** Destroys every connection, idle or busy. */
  close(): void;
}

/** Where a socket's reads go once its connection exists. */
interface ConnectionSlot {
  conn?: DynoConnection;
}

/** One new connection waiting to connect. */
interface Pending {
  socket: Socket;
  slot: ConnectionSlot;
  backend: Backend;
  cb: ConnectCallbacks;
  own: boolean;
  started: number;
  settled: boolean;
}

/** The pool's key for a dyno: its address. */
const keyOf = (b: Pick<Backend, 'host' | 'port'>): string => `${b.host}:${b.port}`;

/** Idle connections kept per dyno; more are closed when they finish. */
const MAX_IDLE_PER_DYNO = 1024;

/** The keep-alive pool of connections to dynos, and the connect step with its timeout. */
export function createConnector(connectTimeoutMs: number): Connector {
  /** Idle connections per dyno, most recently used last (LIFO keeps the fewest sockets warm). */
  const idle = new Map<string, DynoConnection[]>();
  const open = new Set<DynoConnection>();
  const owned = new WeakSet<DynoConnection>();
  let live: ReadonlySet<string> | null = null;
  /**
   * One read buffer for every pooled connection (Node's `onread`): each read
   * is parsed, and what is kept copied out, before the next, so no Buffer is
   * allocated per read and the stream machinery is skipped. Upgrades read as
   * a stream: their sockets are piped once switched.
   */
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const onread = (slot: ConnectionSlot): OnReadOpts => ({
    buffer: readBuffer,
    callback: (n, buf) => {
      slot.conn?.onRead(buf, n);
      // Never pauses by itself: back-pressure pauses the socket explicitly.
      return true;
    },
  });

  const owner: ConnectionOwner = {
    idle(conn) {
      if (owned.has(conn) || (live && !live.has(conn.key))) return conn.destroy();
      let list = idle.get(conn.key);
      if (!list) idle.set(conn.key, (list = []));
      if (list.length >= MAX_IDLE_PER_DYNO) return conn.destroy();
      list.push(conn);
      // An idle pooled socket must not keep the process alive.
      conn.socket.unref();
    },
    gone(conn) {
      open.delete(conn);
      const list = idle.get(conn.key);
      if (!list) return;
      const i = list.lastIndexOf(conn);
      if (i >= 0) list.splice(i, 1);
      if (!list.length) idle.delete(conn.key);
    },
  };

  const fail = (p: Pending, reason: ConnectFailure) => {
    if (p.settled) return;
    p.settled = true;
    connecting.remove(p);
    p.socket.destroy();
    p.cb.onFailed(reason);
  };
  const connecting = createDeadlines<Pending>(connectTimeoutMs, (p) => fail(p, 'timeout'));

  const connected = (p: Pending) => {
    if (p.settled) return;
    p.settled = true;
    connecting.remove(p);
    p.socket.removeAllListeners('error');
    const conn = new DynoConnection(p.socket, keyOf(p.backend), owner, !p.own);
    p.slot.conn = conn;
    open.add(conn);
    if (p.own) owned.add(conn);
    p.cb.onConnected(conn, Date.now() - p.started);
  };

  return {
    connect(backend, cb, own = false) {
      if (!own) {
        const conn = idle.get(keyOf(backend))?.pop();
        if (conn) {
          conn.socket.ref();
          return cb.onConnected(conn, 0);
        }
      }
      const slot: ConnectionSlot = {};
      let socket: Socket;
      try {
        socket = netConnect({ host: backend.host, port: backend.port, ...(own ? {} : { onread: onread(slot) }) });
      } catch {
        // An address net refuses outright (say, a port out of range) is a dyno that cannot be reached.
        return cb.onFailed('refused');
      }
      const p: Pending = { socket, slot, backend, cb, own, started: Date.now(), settled: false };
      socket.once('connect', () => connected(p));
      socket.on('error', () => fail(p, 'refused'));
      connecting.add(p);
    },
    retain(backends) {
      live = new Set([...backends].map(keyOf));
      for (const [key, list] of idle) {
        if (live.has(key)) continue;
        // Out of the pool at once; each one's `gone` (on its socket's close, later) then finds nothing to remove.
        idle.delete(key);
        for (const conn of list) conn.destroy();
      }
    },
    close() {
      connecting.clear();
      for (const conn of open) conn.destroy();
      open.clear();
      idle.clear();
    },
  };
}

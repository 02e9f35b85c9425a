/**
 * A real router (control plane + a data plane) over a real store in a temp
 * dir, plus small real HTTP backends on random ports standing in for dynos.
 */
import { createServer, request, type Agent, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { App, Backend, PlatformEvent } from '../../src/domain/index.js';
import { createLogBus, type LogBus } from '../../src/logs/index.js';
import { createPlatformMetrics } from '../../src/server/metrics-wiring.js';
import { createRouter, type DataPlaneFactory, type Router, type RouterTimeouts, type TlsCertificate } from '../../src/router/index.js';
import { createFormationService } from '../../src/reconciler/index.js';
import { createEventBus, type EventBus } from '../../src/shared/events.js';
import { newId } from '../../src/shared/ids.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { tempDir } from './temp.js';

export interface TestBackend {
  backend: Backend;
  /** Requests this backend received. */
  hits: IncomingMessage[];
  /** TCP connections it accepted. */
  connections: number;
  server: Server;
  close(): Promise<void>;
}

export type BackendHandler = (req: IncomingMessage, res: ServerResponse, name: string) => void;

/** Answers with its dyno name and what it received, as JSON. */
export const echoHandler: BackendHandler = (req, res, name) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ dyno: name, url: req.url, method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }));
  });
};

export const startBackend = (name: string, handler: BackendHandler = echoHandler): Promise<TestBackend> =>
  startBackendOn(name, 0, handler);

/** A backend on a given port (0 for any), e.g. a dyno coming back where it was. */
export async function startBackendOn(name: string, port: number, handler: BackendHandler = echoHandler): Promise<TestBackend> {
  const hits: IncomingMessage[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    hits.push(req);
    handler(req, res, name);
  });
  const tb: TestBackend = {
    backend: { dynoId: `${name}-${newId()}`, dynoName: name, host: '127.0.0.1', port: 0 },
    hits,
    connections: 0,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy());
      }),
  };
  server.on('connection', (s: Socket) => {
    tb.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  tb.backend.port = (server.address() as AddressInfo).port;
  return tb;
}

/**
 * A dyno that answers with raw bytes, for responses Node's own server would
 * never write (framings, malformed heads). `respond` gets each request's
 * method and path and returns the bytes to write, whether to close after,
 * and bytes to write a moment later (`then`).
 * Requests are read as heads only (no bodies).
 */
export async function startRawBackend(
  name: string,
  respond: (method: string, path: string) => { bytes: string; close?: boolean; then?: string },
): Promise<Omit<TestBackend, 'hits' | 'server'> & { requests: string[]; closed: number }> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  let closed = 0;
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      closed++;
    });
    s.on('error', () => s.destroy());
    let buffered = '';
    s.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const [method = '', path = ''] = buffered.slice(0, buffered.indexOf('\r\n')).split(' ');
        buffered = buffered.slice(end + 4);
        requests.push(`${method} ${path}`);
        const r = respond(method, path);
        if (r.close) s.end(r.bytes, 'latin1');
        else s.write(r.bytes, 'latin1');
        // Bytes nobody asked for, in a later packet.
        if (r.then) setImmediate(() => s.writable && s.write(r.then as string, 'latin1'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let connections = 0;
  server.on('connection', () => connections++);
  return {
    backend: { dynoId: `${name}-${newId()}`, dynoName: name, host: '127.0.0.1', port: (server.address() as AddressInfo).port },
    requests,
    get connections() {
      return connections;
    },
    /** Connections closed so far, by either side. */
    get closed() {
      return closed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((s) => s.destroy());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socketReused: boolean;
}

export interface RouterFixture {
  port: number;
  /** The HTTPS port, when started with a platform certificate. */
  tlsPort?: number;
  store: Store;
  events: EventBus<PlatformEvent>;
  logs: LogBus;
  router: Router;
  addApp(name: string, web?: number): App;
  get(host: string, path?: string, opts?: { headers?: Record<string, string>; method?: string; body?: string; agent?: Agent }): Promise<Reply>;
  routerLines(appId: string): string[];
  cleanup(): Promise<void>;
}

export async function startRouterFixture(
  dataPlane: DataPlaneFactory,
  timeouts: Partial<RouterTimeouts> = {},
  /** With a platform certificate the router also serves HTTPS, on a free port. */
  platformCertificate?: TlsCertificate,
): Promise<RouterFixture> {
  const dir = tempDir('cupaas-router');
  const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
  const owner = store.users.create('owner@example.com', 'owner');
  const events = createEventBus<PlatformEvent>();
  const logs = createLogBus();
  // The per-request hook the server wires (metrics), so routing here costs what it costs there.
  const observed = createPlatformMetrics(store, events, silentLogger);
  const router = createRouter({
    config: { routerListen: '127.0.0.1', routerPort: 0, routerTlsPort: platformCertificate ? 0 : null, baseDomain: 'localhost' },
    store, formation: createFormationService({ store, events }), events, logs, logger: silentLogger, dataPlane, timeouts: { bootHoldMs: 0, ...timeouts },
    onRequest: observed.onRequest,
    ...(platformCertificate ? { platformCertificate: async () => platformCertificate } : {}),
  });
  const { port, tlsPort } = await router.start();
  return {
    port, tlsPort, store, events, logs, router,
    addApp(name, web = 1) {
      const t = new Date().toISOString();
      const app: App = { id: newId(), name, ownerId: owner.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: t, updatedAt: t };
      store.apps.insert(app);
      store.formations.upsert(app.id, 'web', { quantity: web }, { quantity: web, size: 'standard-1x' });
      events.publish({ type: 'app.created', appId: app.id, appName: name });
      return app;
    },
    get(host, path = '/', opts = {}) {
      return new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { Host: host, ...opts.headers }, agent: opts.agent },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socketReused: req.reusedSocket }));
          },
        );
        req.on('error', reject);
        req.end(opts.body);
      });
    },
    routerLines: (appId) => logs.recent(appId, 1500, { source: 'router' }).map((e) => e.message),
    async cleanup() {
      await router.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { DataPlane, DataPlaneFactory, RequestRecord } from '../data-plane.js';
import { badRequestPage, noSuchAppPage, routerErrorPage, routerErrorStatus, type ErrorPage, type RouterErrorCode } from '../errors.js';
import { hostnameOf, requestIdFrom } from '../internal/request-meta.js';
import { createBalancer } from './balancer.js';
import { createConnector } from './connect.js';
import { createDeadlines } from './deadlines.js';
import { recordError, type ExchangeContext, type FirstByteWaiter } from './dyno-exchange.js';
import { HttpExchange, type RequestBody } from './exchange.js';
import { addForwardingHeaders, readRequestHead, type RequestHead } from './headers.js';
import { MAX_HEADER_BYTES, MAX_HEADERS } from './limits.js';
import { sendPage, sendPageOnSocket } from './respond.js';
import { createTlsServer } from './tls.js';
import { UpgradeExchange } from './upgrade.js';
import { invalidRequest } from './validate.js';

/** A request the router answers itself, or one to forward: its record (filled in as it goes) and headers. */
type Admission = { kind: 'page'; page: ErrorPage } | { kind: 'forward'; record: RequestRecord; head: RequestHead };

/** What stops an app taking a request now; `wait`: no dyno is up yet but one is wanted. */
type Refusal = RouterErrorCode | 'wait' | null;

/** A request carries a body when it declares a length above zero or a transfer coding (which Node decoded). */
const bodyOf = (head: RequestHead): RequestBody =>
  head.chunked ? 'chunked' : Number(head.contentLength ?? 0) > 0 ? 'raw' : 'none';

/** The embedded data plane: a Node HTTP server that forwards to dynos itself. */
export const createNodeDataPlane: DataPlaneFactory = (options, events): DataPlane => {
  const balancer = createBalancer();
  const ctx: ExchangeContext = {
    balancer,
    connector: createConnector(options.connectTimeoutMs),
    firstByte: createDeadlines<FirstByteWaiter>(options.firstByteTimeoutMs, (x) => x.onFirstByteTimeout()),
    events,
  };
  let hosts: ReadonlyMap<string, string> = new Map();
  let servers: Server[] = [];
  const sockets = new Set<Socket>();
  const tls = options.tlsPort === null ? undefined : createTlsServer(MAX_HEADER_BYTES);

  /** H80 or H14 when the app cannot take the request, `wait` while its first dyno boots, null to forward. */
  const refusal = (appId: string): Refusal => {
    const route = balancer.route(appId);
    if (!route) return 'H14';
    if (route.maintenance) return 'H80';
    if (route.backends.length) return null;
    return route.webWanted ? 'wait' : 'H14';
  };

  /** Holds a request briefly for a booting dyno (async, off the hot path); H10 if none comes up. */
  const afterHold = async (appId: string): Promise<RouterErrorCode | null> => {
    await balancer.waitForBackends(appId, options.bootHoldMs);
    const later = refusal(appId);
    return later === 'wait' ? 'H10' : later;
  };

  const admit = (req: IncomingMessage, upgrade: string | null): Admission => {
    const startMs = Date.now();
    const head = readRequestHead(req.rawHeaders);
    const url = req.url ?? '/';
    const bad = invalidRequest(url, req.rawHeaders.length / 2, head);
    if (bad) return { kind: 'page', page: badRequestPage(head.accept, bad) };
    const host = hostnameOf(head.host);
    const appId = hosts.get(host);
    if (!appId) return { kind: 'page', page: noSuchAppPage(head.accept) };
    const requestId = requestIdFrom(head.requestId);
    const protocol = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
    const fwd = addForwardingHeaders(head, {
      clientIp: req.socket.remoteAddress ?? '', port: req.socket.localPort ?? 0, protocol, requestId, startMs, upgrade,
    });
    const record: RequestRecord = {
      appId, method: req.method ?? 'GET', path: url, host, requestId, fwd, protocol,
      dyno: null, connectMs: null, serviceMs: null, status: 0, bytes: 0, error: undefined,
    };
    return { kind: 'forward', head, record };
  };

  const logRefusal = (record: RequestRecord, code: RouterErrorCode) => {
    record.status = routerErrorStatus(code);
    recordError(record, code);
    events.onRequest(record);
  };

  /**
   * Starts the exchange at once when the app has a dyno (the common case,
   * kept synchronous: no promise per request), else after the boot hold.
   */
  const forward = (appId: string, x: { start(): void }, refuse: (code: RouterErrorCode) => void) => {
    const now = refusal(appId);
    if (now === null) return x.start();
    if (now !== 'wait') return refuse(now);
    void afterHold(appId).then((later) => (later ? refuse(later) : x.start()));
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const a = admit(req, null);
    if (a.kind === 'page') return sendPage(res, a.page, req.method);
    const x = new HttpExchange(ctx, req, res, a.record, a.head.headers, bodyOf(a.head), a.head.accept);
    forward(a.record.appId, x, (code) => {
      sendPage(res, routerErrorPage(code, a.head.accept), req.method);
      logRefusal(a.record, code);
    });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const a = admit(req, req.headers.upgrade ?? 'websocket');
    if (a.kind === 'page') return sendPageOnSocket(socket, a.page);
    const x = new UpgradeExchange(ctx, socket, head, a.record, a.head.headers, a.head.accept);
    forward(a.record.appId, x, (code) => {
      sendPageOnSocket(socket, routerErrorPage(code, a.head.accept));
      logRefusal(a.record, code);
    });
  };

  /** Both listeners serve the same handlers; TLS only adds the handshake in front. */
  const serve = async (s: Server, port: number): Promise<number> => {
    s.maxHeadersCount = MAX_HEADERS + 1;
    s.on('request', onRequest);
    s.on('upgrade', onUpgrade);
    s.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    s.on('connection', (c: Socket) => {
      sockets.add(c);
      c.on('close', () => sockets.delete(c));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, options.listen, () => {
        s.off('error', reject);
        resolve();
      });
    });
    servers.push(s);
    return (s.address() as AddressInfo).port;
  };

  return {
    async start() {
      const port = await serve(createServer({ maxHeaderSize: MAX_HEADER_BYTES, requestTimeout: 0, keepAliveTimeout: 60_000 }), options.port);
      if (!tls || options.tlsPort === null) return { port };
      try {
        return { port, tlsPort: await serve(tls.server, options.tlsPort) };
      } catch (e) {
        await this.close();
        throw e;
      }
    },
    setCertificates: (certs) => tls?.setCertificates(certs),
    setHosts(next) {
      hosts = next;
    },
    setApp(route) {
      balancer.setApp(route);
      ctx.connector.retain(balancer.backends());
    },
    removeApp(appId) {
      balancer.removeApp(appId);
      ctx.connector.retain(balancer.backends());
    },
    whenIdle: (dynoId) => balancer.whenIdle(dynoId),
    async close() {
      const closing = servers;
      servers = [];
      if (!closing.length) return;
      // Cut what remains after a moment: open tails of slow clients, WebSockets.
      const cut = setTimeout(() => sockets.forEach((c) => c.destroy()), 1000).unref();
      await Promise.all(closing.map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      })));
      clearTimeout(cut);
      ctx.connector.close();
      ctx.firstByte.clear();
    },
  };
};

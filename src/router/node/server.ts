import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Backend } from '../../domain/index.js';
import type { DataPlane, DataPlaneFactory, RequestRecord } from '../data-plane.js';
import { badRequestPage, noSuchAppPage, ROUTER_ERRORS, routerErrorPage, routerErrorStatus, type RouterErrorCode } from '../errors.js';
import { hostnameOf, requestIdFrom } from '../internal/request-meta.js';
import { createBalancer } from './balancer.js';
import type { ConnectFailure } from './connect.js';
import { exchange, type ExchangeDeps, type ExchangeOutcome, type Forwarded } from './exchange.js';
import { requestHeaders } from './headers.js';
import { sendPage, sendPageOnSocket } from './respond.js';
import { upgradeExchange } from './upgrade.js';
import { hasBody, invalidRequest, MAX_HEADERS } from './validate.js';

/** Heroku retries a refused connection on up to 10 dynos. */
const MAX_ATTEMPTS = 10;

type Admission =
  | { kind: 'page'; page: ReturnType<typeof noSuchAppPage> }
  | { kind: 'refuse'; code: RouterErrorCode; record: Forwarded['record'] }
  | { kind: 'forward'; record: Forwarded['record']; headers: string[] };

/** The embedded data plane: a Node HTTP server that forwards to dynos itself. */
export const createNodeDataPlane: DataPlaneFactory = (options, events): DataPlane => {
  const balancer = createBalancer();
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, keepAliveMsecs: 1000 });
  const deps: ExchangeDeps = {
    balancer, agent, connectTimeoutMs: options.connectTimeoutMs, firstByteTimeoutMs: options.firstByteTimeoutMs,
    onRequest: (r) => events.onRequest(r),
  };
  let hosts: ReadonlyMap<string, string> = new Map();
  let server: Server | undefined;
  const sockets = new Set<Socket>();

  /** H80, H14 or H10 when the app cannot take the request now; null to forward. */
  const refusal = async (appId: string): Promise<RouterErrorCode | null> => {
    const decide = (): RouterErrorCode | 'wait' | null => {
      const route = balancer.route(appId);
      if (!route) return 'H14';
      if (route.maintenance) return 'H80';
      if (route.backends.length) return null;
      return route.webWanted ? 'wait' : 'H14';
    };
    const now = decide();
    if (now !== 'wait') return now;
    await balancer.waitForBackends(appId, options.bootHoldMs);
    const later = decide();
    return later === 'wait' ? 'H10' : later;
  };

  const admit = async (req: IncomingMessage, upgrade: string | null): Promise<Admission> => {
    const startMs = Date.now();
    const bad = invalidRequest(req);
    if (bad) return { kind: 'page', page: badRequestPage(req.headers.accept, bad) };
    const host = hostnameOf(req.headers.host);
    const appId = hosts.get(host);
    if (!appId) return { kind: 'page', page: noSuchAppPage(req.headers.accept) };
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const { headers, fwd } = requestHeaders(req.rawHeaders, {
      clientIp: req.socket.remoteAddress ?? '', port: req.socket.localPort ?? 0, protocol: 'http', requestId, startMs,
      upgrade, chunked: req.headers['transfer-encoding'] !== undefined,
    });
    const record = { appId, method: req.method ?? 'GET', path: req.url ?? '/', host, requestId, fwd, protocol: 'http' as const };
    const code = await refusal(appId);
    return code ? { kind: 'refuse', code, record } : { kind: 'forward', record, headers };
  };

  const logRefusal = (record: Forwarded['record'], code: RouterErrorCode) =>
    events.onRequest({
      ...record, dyno: null, connectMs: null, serviceMs: null, status: routerErrorStatus(code), bytes: 0,
      error: { code, desc: ROUTER_ERRORS[code].desc },
    } satisfies RequestRecord);

  /** Tries dynos until one takes the request; a dyno that refused is reported and skipped. */
  const withRetries = async (appId: string, attempt: (b: Backend) => Promise<ExchangeOutcome>): Promise<RouterErrorCode | null> => {
    const tried = new Set<string>();
    let last: ConnectFailure | undefined;
    for (let n = 0; n < MAX_ATTEMPTS; n++) {
      const backend = balancer.pick(appId, tried);
      if (!backend) break;
      const outcome = await attempt(backend);
      if (outcome === 'done') return null;
      if (outcome === 'stale') continue;
      last = outcome;
      tried.add(backend.dynoId);
      events.onBackendFailed(appId, backend.dynoId);
    }
    return last === 'timeout' ? 'H19' : last === 'refused' ? 'H21' : 'H10';
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const a = await admit(req, null);
    if (a.kind === 'page') return sendPage(res, a.page, req.method);
    let code = a.kind === 'refuse' ? a.code : null;
    if (a.kind === 'forward') {
      const f: Forwarded = { req, res, headers: a.headers, hasBody: hasBody(req), record: a.record };
      code = await withRetries(a.record.appId, (b) => exchange(deps, f, b));
    }
    if (!code) return;
    sendPage(res, routerErrorPage(code, req.headers.accept), req.method);
    logRefusal(a.record, code);
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const a = await admit(req, req.headers.upgrade ?? 'websocket');
    if (a.kind === 'page') return sendPageOnSocket(socket, a.page);
    let code = a.kind === 'refuse' ? a.code : null;
    if (a.kind === 'forward') {
      const u = { req, socket, head, headers: a.headers, record: a.record };
      code = await withRetries(a.record.appId, (b) => upgradeExchange(deps, u, b));
    }
    if (!code) return;
    sendPageOnSocket(socket, routerErrorPage(code, req.headers.accept));
    logRefusal(a.record, code);
  };

  return {
    async start() {
      const s = createServer({ maxHeaderSize: 256 * 1024, requestTimeout: 0, keepAliveTimeout: 60_000 });
      s.maxHeadersCount = MAX_HEADERS + 1;
      s.on('request', (req, res) => void onRequest(req, res));
      s.on('upgrade', (req, socket, head) => void onUpgrade(req, socket, head));
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
        s.listen(options.port, options.listen, () => {
          s.off('error', reject);
          resolve();
        });
      });
      server = s;
      return { port: (s.address() as AddressInfo).port };
    },
    setHosts(next) {
      hosts = next;
    },
    setApp: (route) => balancer.setApp(route),
    removeApp: (appId) => balancer.removeApp(appId),
    whenIdle: (dynoId) => balancer.whenIdle(dynoId),
    async close() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
        // Cut what remains after a moment: open tails of slow clients, WebSockets.
        setTimeout(() => sockets.forEach((c) => c.destroy()), 1000).unref();
      });
      agent.destroy();
    },
  };
};

import type { ResolvedConfig } from '../config/index.js';
import type { Backend, FormationIntent, LogSink, PlatformEvent, RoutingTable } from '../domain/index.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import type { TlsCertificate } from './certificates.js';
import type { AppRoute, DataPlane, DataPlaneFactory, RequestRecord } from './data-plane.js';
import { buildHostTable } from './hosts.js';
import { routerLogLine } from './log-line.js';
import { buildCertificateTable } from './tls-table.js';

export interface RouterDeps {
  config: Pick<ResolvedConfig, 'routerListen' | 'routerPort' | 'baseDomain'> & Partial<Pick<ResolvedConfig, 'routerTlsPort'>>;
  store: {
    apps: Pick<Store['apps'], 'list' | 'find'>;
    domains: Pick<Store['domains'], 'listAll'>;
    sniEndpoints: Pick<Store['sniEndpoints'], 'listAll'>;
  };
  /** Whether an app wants web dynos at all (H14 when not) is the formation's call. */
  formation: Pick<FormationIntent, 'quantity'>;
  /** The certificate for `*.BASE_DOMAIN` and clients without SNI; needed when `routerTlsPort` is set. */
  platformCertificate?: () => Promise<TlsCertificate>;
  events: Pick<EventBus<PlatformEvent>, 'subscribe'>;
  logs: LogSink;
  logger: Logger;
  dataPlane: DataPlaneFactory;
  /** Also told of every finished request (metrics); called after the router log line is written. */
  onRequest?: (record: RequestRecord) => void;
  timeouts?: Partial<RouterTimeouts>;
}

export interface RouterTimeouts {
  firstByteMs: number;
  connectMs: number;
  bootHoldMs: number;
  /** How long a dyno that refused a connection is skipped. */
  quarantineMs: number;
}

const DEFAULT_TIMEOUTS: RouterTimeouts = { firstByteMs: 30_000, connectMs: 5_000, bootHoldMs: 10_000, quarantineMs: 5_000 };

export interface Router extends RoutingTable {
  /** Starts serving app traffic; resolves with the bound port, and the HTTPS one when it is on. */
  start(): Promise<{ port: number; tlsPort?: number }>;
  close(): Promise<void>;
}

/**
 * The router's control plane: which hostnames belong to which app, which
 * dynos serve each app (from the reconciler via `setBackends`), which are
 * quarantined, and one router log line per request. It never touches bytes;
 * the data plane does, from the state pushed here.
 */
export function createRouter(deps: RouterDeps): Router {
  const t = { ...DEFAULT_TIMEOUTS, ...deps.timeouts };
  const backends = new Map<string, readonly Backend[]>();
  const quarantine = new Map<string, NodeJS.Timeout>();
  const plane: DataPlane = deps.dataPlane(
    {
      listen: deps.config.routerListen, port: deps.config.routerPort, tlsPort: deps.config.routerTlsPort ?? null, firstByteTimeoutMs: t.firstByteMs,
      connectTimeoutMs: t.connectMs, bootHoldMs: t.bootHoldMs,
    },
    { onRequest: (r) => logRequest(r), onBackendFailed: (appId, dynoId) => quarantineDyno(appId, dynoId) },
  );

  const logRequest = (r: RequestRecord) => {
    deps.logs.write(r.appId, { source: 'heroku', process: 'router', message: routerLogLine(r) });
    deps.onRequest?.(r);
  };

  /** Recomputes what the data plane knows of one app (level-based: from the current state, not the change). */
  const pushApp = (appId: string) => {
    const app = deps.store.apps.find(appId);
    if (!app) return plane.removeApp(appId);
    const all = backends.get(appId) ?? [];
    const healthy = all.filter((b) => !quarantine.has(b.dynoId));
    const route: AppRoute = {
      appId,
      maintenance: app.maintenance,
      webWanted: deps.formation.quantity(appId, 'web') > 0,
      // With every dyno quarantined, trying one beats refusing outright.
      backends: healthy.length ? healthy : all,
    };
    plane.setApp(route);
  };

  const pushHosts = () => {
    const apps = deps.store.apps.list();
    plane.setHosts(buildHostTable(apps, deps.store.domains.listAll(), deps.config.baseDomain));
    return apps;
  };

  let platformCert: TlsCertificate | undefined;
  /** Certificates follow endpoints and domains (an endpoint serves only its app's domains it covers). */
  const pushCertificates = () => {
    if (!platformCert) return;
    plane.setCertificates(buildCertificateTable(platformCert, deps.store.sniEndpoints.listAll(), deps.store.domains.listAll()));
  };

  const quarantineDyno = (appId: string, dynoId: string) => {
    clearTimeout(quarantine.get(dynoId));
    const timer = setTimeout(() => {
      quarantine.delete(dynoId);
      pushApp(appId);
    }, t.quarantineMs);
    timer.unref();
    quarantine.set(dynoId, timer);
    deps.logger.debug('router: dyno refused a connection; quarantined', { appId, dynoId });
    pushApp(appId);
  };

  const onEvent = (e: PlatformEvent) => {
    switch (e.type) {
      case 'app.created':
      case 'app.renamed':
        pushHosts();
        return pushApp(e.appId);
      case 'domain.changed':
        pushHosts();
        pushCertificates();
        return pushApp(e.appId);
      case 'sni-endpoint.changed':
        return pushCertificates();
      case 'app.destroyed':
        backends.delete(e.appId);
        pushHosts();
        pushCertificates();
        return plane.removeApp(e.appId);
      case 'app.maintenance-changed':
      case 'formation.changed':
        return pushApp(e.appId);
      default:
        return;
    }
  };
  let unsubscribe: (() => void) | undefined;

  return {
    setBackends(appId, next) {
      backends.set(appId, [...next]);
      pushApp(appId);
    },
    async drain(dynoId, timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([plane.whenIdle(dynoId), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
    async start() {
      if (deps.config.routerTlsPort != null) {
        if (!deps.platformCertificate) throw new Error('router: HTTPS needs a platform certificate');
        platformCert = await deps.platformCertificate();
      }
      unsubscribe = deps.events.subscribe(onEvent);
      pushCertificates();
      for (const app of pushHosts()) pushApp(app.id);
      return plane.start();
    },
    async close() {
      unsubscribe?.();
      quarantine.forEach((timer) => clearTimeout(timer));
      quarantine.clear();
      await plane.close();
    },
  };
}

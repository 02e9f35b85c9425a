import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAddons } from '../addons/index.js';
import { createAccessPolicy, createApi, createAuthentication, createSessions, type ApiContext } from '../api/index.js';
import { createAppService } from '../apps/index.js';
import { localUrl, withBoundPorts, type ResolvedConfig } from '../config/index.js';
import type { PlatformEvent } from '../domain/index.js';
import { createBuilder } from '../build/index.js';
import { createDeployService, createSourceBlobs } from '../deploy/index.js';
import { createRepos, gitRoutes } from '../git/index.js';
import { createDrainDestinations, createLogBus, createLogDrains, createLogSessions, logPlatformEvents } from '../logs/index.js';
import { createFormationService, createNodeService, createOneOffDynos, createReconciler } from '../reconciler/index.js';
import { createReleaseService } from '../releases/index.js';
import { startRendezvous } from '../rendezvous/index.js';
import { createRepoSync } from '../repo-sync/index.js';
import { createScheduler } from '../scheduler/index.js';
import { createDomainService, createRouter, createSniEndpointService, dataPlaneFor } from '../router/index.js';
import { createRuntimeDriver } from '../runtime/index.js';
import { createEventBus } from '../shared/events.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { createSlugArchive } from '../slugs/index.js';
import { openStore } from '../store/index.js';
import { ensurePlatformCa, issueCertificate } from '../tls/index.js';
import { ensureAdmin } from './bootstrap.js';
import { startImages } from './images.js';
import { listen, type ListeningServer } from './http-server.js';
import { acquireHomeLock } from './lock.js';
import { createPlatformMetrics } from './metrics-wiring.js';
import { dashboardRoutes } from './dashboard.js';

/** Largest source tarball the builds API accepts (Heroku caps a checkout at 1 GB uncompressed). */
const MAX_SOURCE_BYTES = 512 * 1024 * 1024;

export interface RunningPlatform {
  apiUrl: string;
  apiPort: number;
  stop(): Promise<void>;
}

/**
 * Wires every subsystem together: the one place that picks implementations.
 * Order matters on the way up (store before services before listeners) and is
 * reversed on the way down.
 */
export async function startPlatform(requested: Readonly<ResolvedConfig>, logger: Logger): Promise<RunningPlatform> {
  mkdirSync(requested.home, { recursive: true, mode: 0o700 });
  const releaseLock = acquireHomeLock(join(requested.home, 'server.pid'));
  // Components register their stop in start order; they stop in reverse, after every listener has closed.
  const stops: Array<() => Promise<void> | void> = [releaseLock];
  const listeners: ListeningServer[] = [];
  const shutdown = async () => {
    await Promise.all(listeners.splice(0).map((l) => l.close()));
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    // Bound first so the real port is known while wiring; closed first on the way down.
    const api = await listen(requested.listen, requested.apiPort);
    listeners.push(api);
    const config = withBoundPorts(requested, { apiPort: api.port });

    const store = openStore({ dbPath: config.dbPath, secretKeyPath: config.secretKeyPath });
    stops.push(() => store.close());
    const events = createEventBus<PlatformEvent>((error, e) =>
      logger.error('an event subscriber failed; the change stands', { event: e.type, error: errorMessage(error) }),
    );
    const releases = createReleaseService({ store, events });
    // Add-on servers start before anything can use them and stop after every listener has closed.
    // Decided before any add-on server starts: it is where they listen and what their URLs name.
    // The driver says where dynos reach add-ons; it starts no dyno before the reconciler asks.
    const logs = createLogBus();
    const driver = createRuntimeDriver(config.runtimeDriver, { config, logs, logger });
    const servicesAddress = await driver.servicesAddress();
    const addons = await createAddons({
      config, store, releases, logger, isRoot: process.getuid?.() === 0, servicesAddress, hostedRefusal: driver.hostedAddonsRefusal ?? null,
    });
    stops.push(() => addons.stop());
    await addons.start();
    const apps = createAppService({ store, releases, events, teardowns: [addons.teardown], logger });
    ensureAdmin(store, config, logger);

    stops.push(logPlatformEvents({ events, logs, store }));
    // Stops after the dynos, so their last lines still leave through the drains.
    const destinations = createDrainDestinations({
      allow: config.drainAllow, apiPort: config.apiPort,
      refuseHosts: [new URL(config.publicApiUrl).hostname, ...(servicesAddress ? [servicesAddress.address] : [])],
    });
    const logDrains = createLogDrains({ store, logs, events, logger, destinations });
    stops.push(logDrains.start(), () => logDrains.stop());
    const formation = createFormationService({ store, events });
    const observed = createPlatformMetrics(store, events, logger);
    const router = createRouter({
      config, store, formation, events, logs, logger, dataPlane: dataPlaneFor(config, logger), platformCertificate: () => routerCertificate(config),
      onRequest: observed.onRequest,
    });
    const bound = await router.start();
    const routed = withBoundPorts(config, { routerPort: bound.port, routerTlsPort: bound.tlsPort ?? null });
    stops.push(() => router.close());
    const routerUrl = localUrl(routed.routerListen, routed.routerPort);
    const routerTlsUrl = routed.routerTlsPort === null ? undefined : localUrl(routed.routerListen, routed.routerTlsPort).replace(/^http:/, 'https:');

    // Refuses to start without an engine when the driver runs images, before any dyno is touched.
    const slugs = createSlugArchive(join(config.home, 'slugs'));
    const started = await startImages({ config, driver, store, slugs, logs, logger });
    if (started) stops.push(() => started.stop(), started.images.start(events));
    // Stops (and so stops every dyno) before the router and the store close.
    const domains = createDomainService({ config, store, events });
    const reconciler = createReconciler({
      store, driver, routing: router, logs, events, config, logger, ...(started ? { imageRef: started.images.refOf } : {}),
      hostnames: (appId) => {
        const app = store.apps.find(appId);
        return app ? domains.list(app).map((d) => d.hostname) : [];
      },
    });
    stops.push(() => reconciler.stop());
    await reconciler.start();
    const oneOffs = createOneOffDynos({ store, driver, logs, logger });
    stops.push(() => oneOffs.close());
    const rendezvous = await startRendezvous({
      tls: await rendezvousCertificate(config), listen: config.listen, port: config.rendezvousPort, oneOffs, logger,
    });
    stops.push(() => rendezvous.close());
    const attachable = withBoundPorts(routed, { rendezvousPort: rendezvous.port });
    const scheduler = createScheduler({ store, runner: oneOffs, logs, logger });
    scheduler.start();
    stops.push(() => scheduler.stop());
    const runtimeSide = observed.startRuntimeSide({ driver, formation, config, events });
    stops.push(runtimeSide.stop);

    const deployer = createDeployService({
      config: routed, store, releases, events, logger, logs, services: addons.provisioner, oneOffs, formation,
      builder: createBuilder(config), slugs, ...(started ? { images: started.images } : {}),
    });
    const interrupted = deployer.recoverInterrupted();
    if (interrupted) logger.warn('marked builds a restart interrupted as failed', { builds: interrupted });
    stops.push(() => deployer.shutdown());
    const repos = createRepos({ root: join(config.home, 'repos'), hostPath: config.hostPath, nodePath: process.execPath });
    stops.push(
      events.subscribe((e) => {
        if (e.type !== 'app.destroyed') return;
        repos.remove(e.appId);
        deployer.forgetApp(e.appId);
        oneOffs.stopApp(e.appId).catch((err: unknown) => logger.error('stopping one-off dynos failed', { error: String(err) }));
      }),
    );

    const repoSync = createRepoSync({
      store, deployer, logs, events, logger, home: config.home, hostPath: config.hostPath, fileDirs: config.repoFileDirs,
    });
    repoSync.start();
    stops.push(() => repoSync.stop());

    const access = createAccessPolicy(store);
    const authentication = createAuthentication(store);
    const ctx: ApiContext = {
      config: attachable, store, apps, releases, events, logger, logs, logSessions: createLogSessions(), logDrains,
      domains, sniEndpoints: createSniEndpointService({ store, events }), repoSync, deployer,
      sources: createSourceBlobs(join(config.home, 'sources'), MAX_SOURCE_BYTES), addons: addons.service,
      formation, dynos: reconciler, oneOffs, scheduler, access, authentication, sessions: createSessions(), metrics: observed.metrics,
      autoscaler: runtimeSide.autoscaler,
      nodes: driver.cluster ? createNodeService({ cluster: driver.cluster, formation, apps: store.apps, logger }) : null,
    };
    api.setHandler(createApi(ctx, [...gitRoutes({ config, store, deployer, repos, logger, access, authentication }), ...dashboardRoutes()]));

    const apiUrl = config.publicApiUrl;
    writeFileSync(join(config.home, 'server.json'), JSON.stringify({ pid: process.pid, apiUrl, routerUrl, routerTlsUrl }, null, 2) + '\n');
    logger.info('cupaas server listening', { api: apiUrl, dashboard: `${apiUrl}/`, router: routerUrl, routerTls: routerTlsUrl, home: config.home });
    return {
      apiUrl,
      apiPort: api.port,
      stop: shutdown,
    };
  } catch (e) {
    await shutdown();
    throw e;
  }
}

/** The rendezvous endpoint's certificate: the platform CA (created once) signs it for the API's host name. */
async function rendezvousCertificate(config: Readonly<ResolvedConfig>) {
  const ca = await ensurePlatformCa(config.home);
  const host = new URL(config.publicApiUrl).hostname.replace(/^\[|\]$/g, '');
  return issueCertificate(ca, { names: [...new Set([host, 'localhost', '127.0.0.1', '::1'])] });
}

/** The router's certificate for `*.BASE_DOMAIN` (and clients without SNI), signed by the platform CA; fresh per start. */
async function routerCertificate(config: Readonly<ResolvedConfig>) {
  const names = [`*.${config.baseDomain}`, config.baseDomain];
  const issued = await issueCertificate(await ensurePlatformCa(config.home), { names });
  return { id: 'platform', names, chainPem: issued.chainPem, keyPem: issued.keyPem };
}

/**
 * Router: serves app traffic on the router port. The control plane (this
 * folder's top level) owns hostnames → apps, each app's backends (set by the
 * reconciler through the `RoutingTable` port), quarantine and router log
 * lines; a data plane moves the bytes. The built-in one is a Node HTTP
 * server (`node/`); for production, HAProxy driven through its Runtime
 * API (`haproxy/`). The router must not start or stop dynos or read their
 * state beyond what `setBackends` tells it.
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import type { Logger } from '../shared/logger.js';
import { chooseDataPlane } from './choice.js';
import type { DataPlaneFactory } from './data-plane.js';
import { createHaproxyDataPlane } from './haproxy/data-plane.js';
import { createNodeDataPlane } from './node/server.js';

export { createRouter, type Router, type RouterDeps, type RouterTimeouts } from './control-plane.js';
export { createNodeDataPlane, createHaproxyDataPlane };
export { type HaproxyDataPlane, type HaproxyPlaneOptions } from './haproxy/data-plane.js';
export { haproxyMissing } from './haproxy/process.js';
export type { AppRoute, DataPlane, DataPlaneEvents, DataPlaneFactory, DataPlaneOptions, RequestRecord } from './data-plane.js';
export { ROUTER_ERRORS, type RouterErrorCode } from './errors.js';
export { createDomainService, type DomainService } from './domains.js';
export { createSniEndpointService, type SniEndpointService, type CertificateUpload } from './sni-endpoints.js';
export { certificateFor, certificateInfo, tlsCertificate, type CertificateInfo, type TlsCertificate } from './certificates.js';
export { defaultHostname } from './hosts.js';
export { chooseDataPlane, routerDoctor, type DataPlaneChoice } from './choice.js';

/** The data plane `CUPAAS_ROUTER_DATA_PLANE` asks for (see `chooseDataPlane`); HAProxy keeps its files in `$CUPAAS_HOME/router`. */
export function dataPlaneFor(config: Pick<ResolvedConfig, 'routerDataPlane' | 'routerThreads' | 'home'>, logger: Logger): DataPlaneFactory {
  const choice = chooseDataPlane(config);
  logger.info('router data plane', { ...choice });
  return choice.plane === 'haproxy'
    ? createHaproxyDataPlane({ dir: join(config.home, 'router'), logger, threads: config.routerThreads ?? undefined })
    : createNodeDataPlane;
}

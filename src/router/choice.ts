import type { ResolvedConfig } from '../config/index.js';
import { haproxyMissing } from './haproxy/process.js';

/** Which data plane the router runs, and why: said at start and by `cupaas server --doctor`. */
export interface DataPlaneChoice {
  plane: 'node' | 'haproxy';
  reason: string;
}

/**
 * Resolves `CUPAAS_ROUTER_DATA_PLANE`: `auto` takes HAProxy (the production
 * plane) when the program is installed, else the embedded Node plane. An
 * explicit `haproxy` stays HAProxy even when missing, so start fails with the
 * install hint instead of silently running something else.
 */
export function chooseDataPlane(config: Pick<ResolvedConfig, 'routerDataPlane'>, missing = haproxyMissing): DataPlaneChoice {
  if (config.routerDataPlane === 'node') return { plane: 'node', reason: 'CUPAAS_ROUTER_DATA_PLANE=node' };
  if (config.routerDataPlane === 'haproxy') return { plane: 'haproxy', reason: 'CUPAAS_ROUTER_DATA_PLANE=haproxy' };
  return missing()
    ? { plane: 'node', reason: 'auto: haproxy is not installed (install the Debian package `haproxy` for the production plane)' }
    : { plane: 'haproxy', reason: 'auto: haproxy is installed' };
}

/** One line for `cupaas server --doctor`. */
export function routerDoctor(config: Pick<ResolvedConfig, 'routerDataPlane'>): string {
  const c = chooseDataPlane(config);
  return `router data plane: ${c.plane} (${c.reason})`;
}

/**
 * Server: the `cupaas server` entry point. Wires store, services, drivers and
 * listeners together (the only place that does), and shuts them down in order.
 */
export { startPlatform, type RunningPlatform } from './platform.js';
/** For `cupaas server --doctor`: which dyno protections this host supports. */
export { kubernetesDoctor, sandboxDoctor } from '../runtime/index.js';
export type { LocalCredentials } from './bootstrap.js';

/**
 * Server: the `cupaas server` entry point. Wires store, services, drivers and
 * listeners together (the only place that does), and shuts them down in order.
 */
export { startPlatform, type RunningPlatform } from './platform.js';
/** For `cupaas server --doctor`: dyno protections, the Docker engine, the stack image, the registry. */
export { serverDoctor } from './images.js';
export type { LocalCredentials } from './bootstrap.js';

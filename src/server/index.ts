/**
 * Server: the `cupaas server` entry point. Wires store, services, drivers and
 * listeners together (the only place that does), and shuts them down in order.
 */
export { startPlatform, type RunningPlatform } from './platform.js';
/** For `cupaas server --doctor`: dyno protections, the Docker engine, the stack image, the registry. */
export { serverDoctor } from './images.js';
/** For `cupaas server --doctor`: which router data plane `auto` picks here. */
export { routerDoctor } from '../router/index.js';
/** For `cupaas server --doctor`: what builds run in here. */
export { buildSandboxReport } from '../build/index.js';
/** For `cupaas server --doctor`: the Kubernetes cluster. */
export { kubernetesDoctor } from '../runtime/index.js';
export type { LocalCredentials } from './bootstrap.js';
/** For `cupaas server --doctor`: the platform CA and how to trust it. */
export { platformCaReport } from '../tls/index.js';

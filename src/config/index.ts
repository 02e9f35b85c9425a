/**
 * Configuration: the only module that reads `process.env`. Callers pass user
 * input in (flags, environment) and get a frozen ResolvedConfig back.
 */
export { resolveConfig, appWebUrl, localUrl, withBoundPorts, DEFAULT_STACK_PATH, type ResolvedConfig, type UserConfig } from './resolve.js';
export { resolveClientConfig, type ClientConfig } from './client.js';
export { DEFAULT_DYNO_SIZE, DYNO_SIZES, dynoSize, resolveDynoSize, type DynoSize } from './dyno-sizes.js';
export { kubernetesConfig, type KubernetesConfig } from './kubernetes.js';

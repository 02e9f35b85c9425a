import { kubernetesConfig } from '../config/index.js';
import { createDockerDriver } from './docker/index.js';
import { createKubernetesDriver } from './kubernetes/index.js';
import { createLocalDriver } from './local/index.js';
import { registryHost } from '../images/index.js';
import { createSwarmDriver, parseDockerHost } from './swarm/index.js';
import type { RuntimeDriver, RuntimeDriverDeps, RuntimeDriverFactory } from './types.js';

/** Every runtime driver by the name `config.runtimeDriver` uses. A new driver adds one line. */
export const RUNTIME_DRIVERS: Readonly<Record<string, RuntimeDriverFactory>> = Object.freeze({
  local: (deps: RuntimeDriverDeps) => createLocalDriver(deps, { sandbox: deps.config.sandbox }),
  docker: (deps: RuntimeDriverDeps) =>
    createDockerDriver(deps, { socketPath: deps.config.images?.dockerSocket ?? '/var/run/docker.sock', sandbox: deps.config.sandbox }),
  swarm: (deps: RuntimeDriverDeps) =>
    createSwarmDriver(deps, {
      engine: parseDockerHost(deps.config.swarm?.dockerHost ?? 'unix:///var/run/docker.sock'),
      servicesAddress: deps.config.swarm?.servicesAddress ?? null,
      registry: deps.config.images ? registryHost(deps.config.images) : null,
    }),
  // Without its config (a caller that gives none) the driver sees no cluster and says so.
  kubernetes: (deps: RuntimeDriverDeps) => createKubernetesDriver(deps, deps.config.kubernetes ?? kubernetesConfig({})),
});

/** Creates the driver named in the config, or explains which names exist. */
export function createRuntimeDriver(name: string, deps: RuntimeDriverDeps): RuntimeDriver {
  const factory = RUNTIME_DRIVERS[name];
  if (!factory) {
    throw new Error(`Unknown runtime driver "${name}". Use one of: ${Object.keys(RUNTIME_DRIVERS).join(', ')}.`);
  }
  return factory(deps);
}

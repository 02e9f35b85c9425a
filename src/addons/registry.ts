import type { ServerProviderDeps } from './internal/deps.js';
import type { AddonProvider } from './provider.js';
import { createExternalProvider } from './providers/external.js';
import { createMongodbProvider } from './providers/mongodb.js';
import { createMysqlProvider } from './providers/mysql.js';
import { createPostgresProvider } from './providers/postgres.js';
import { createRedisProvider } from './providers/redis.js';

/** Every add-on provider, by service name. A new kind adds one file and one line here. */
export const PROVIDER_FACTORIES: Readonly<Record<string, (deps: ServerProviderDeps) => AddonProvider>> = {
  postgres: createPostgresProvider,
  redis: createRedisProvider,
  mysql: createMysqlProvider,
  mongodb: createMongodbProvider,
  external: createExternalProvider,
};

export function createProviders(deps: ServerProviderDeps): ReadonlyMap<string, AddonProvider> {
  return new Map(Object.entries(PROVIDER_FACTORIES).map(([name, make]) => [name, make(deps)]));
}

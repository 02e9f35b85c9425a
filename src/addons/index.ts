/**
 * Add-ons: databases and other services attached to apps (postgres, redis,
 * mysql via MariaDB, mongodb where installed, external URLs). Owns the
 * providers, the servers they run (one per kind, redis one per add-on, under
 * `$CUPAAS_HOME/services`), backups (under `$CUPAAS_HOME/backups`), and the
 * add-on records. Servers listen on 127.0.0.1 and, when the platform has one,
 * the services address that sandboxed dynos reach (passed in: add-ons never
 * import the runtime). Config var changes go through releases; it never
 * touches dynos.
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import type { ReleaseService } from '../releases/index.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { serviceAddresses, type ServicesNetwork } from './internal/addresses.js';
import { ensureServiceUser, grantTraverse } from './internal/service-user.js';
import { createSupervisor } from './internal/supervisor.js';
import { createAddonTeardown, createServiceProvisioner } from './provisioner.js';
import { createProviders } from './registry.js';
import { createAddonService } from './service.js';

export type { AddonService, NewAddon, ServiceListing } from './service.js';
export type { NamedBackup } from './backups.js';
export type { AddonProvider, AddonStatus, Credentials, Resource, ServiceDescription } from './provider.js';
export { configVarOf } from './attachments.js';
export type { ServicesNetwork } from './internal/addresses.js';

export interface AddonsDeps {
  config: Pick<ResolvedConfig, 'home' | 'hostPath'>;
  store: Pick<Store, 'apps' | 'addons' | 'releases' | 'transaction'>;
  releases: Pick<ReleaseService, 'setAddonConfig'>;
  logger: Logger;
  /** The platform runs as root: servers then run as the `cupaas-addons` system user. */
  isRoot: boolean;
  /** The address sandboxed dynos reach add-on servers on, or null: servers then listen on 127.0.0.1 only. */
  servicesAddress: ServicesNetwork | null;
  /** Why dynos cannot reach add-on servers on this host (the runtime's message), or null: such add-ons are then refused. */
  hostedRefusal?: string | null;
}

/**
 * Everything the platform wires: the add-on service (API), the provisioner
 * (deploys), the teardown (app destroy), and start/stop of the servers.
 */
export async function createAddons({ config, store, releases, logger, isRoot, servicesAddress, hostedRefusal }: AddonsDeps) {
  const log = logger.child({ subsystem: 'addons' });
  const servicesDir = join(config.home, 'services');
  const user = await ensureServiceUser(isRoot);
  const env = { PATH: config.hostPath, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  const supervisor = createSupervisor({ user, env, logger: log });
  const reach = (dir: string) => grantTraverse(user, [config.home, servicesDir, dir]);
  const addresses = serviceAddresses(servicesAddress);
  const providers = createProviders({ servicesDir, supervisor, user, env, path: config.hostPath, reach, addresses });
  const service = createAddonService({
    store, releases, providers, backupsDir: join(config.home, 'backups'), logger: log, urlHost: addresses.urlHost, hostedRefusal: hostedRefusal ?? null,
  });
  return {
    service,
    provisioner: createServiceProvisioner(service, providers),
    teardown: createAddonTeardown(service),
    /** Moves existing add-ons' URLs to the current host, then starts their servers; failures are logged, not thrown. */
    start: () => service.resume(),
    /** Stops every add-on server cleanly (platform shutdown). */
    stop: () => supervisor.stopAll(),
  };
}

export type Addons = Awaited<ReturnType<typeof createAddons>>;

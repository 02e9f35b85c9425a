/**
 * Add-ons: databases and other services attached to apps (postgres, redis,
 * mysql via MariaDB, mongodb where installed, external URLs). Owns the
 * providers, the servers they run (one per kind, redis one per add-on, under
 * `$CUPAAS_HOME/services`), backups (under `$CUPAAS_HOME/backups`), and the
 * add-on records. Config var changes go through releases; it never touches dynos.
 */
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import type { ReleaseService } from '../releases/index.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { ensureServiceUser, grantTraverse } from './internal/service-user.js';
import { createSupervisor } from './internal/supervisor.js';
import { createAddonTeardown, createServiceProvisioner } from './provisioner.js';
import { createProviders } from './registry.js';
import { createAddonService } from './service.js';

export type { AddonService, NewAddon, ServiceListing } from './service.js';
export type { NamedBackup } from './backups.js';
export type { AddonProvider, AddonStatus, Credentials, Resource, ServiceDescription } from './provider.js';
export { configVarOf } from './attachments.js';

export interface AddonsDeps {
  config: Pick<ResolvedConfig, 'home' | 'hostPath'>;
  store: Pick<Store, 'addons' | 'releases' | 'transaction'>;
  releases: Pick<ReleaseService, 'setAddonConfig'>;
  logger: Logger;
  /** The platform runs as root: servers then run as the `cupaas-addons` system user. */
  isRoot: boolean;
}

/**
 * Everything the platform wires: the add-on service (API), the provisioner
 * (deploys), the teardown (app destroy), and start/stop of the servers.
 */
export async function createAddons({ config, store, releases, logger, isRoot }: AddonsDeps) {
  const log = logger.child({ subsystem: 'addons' });
  const servicesDir = join(config.home, 'services');
  const user = await ensureServiceUser(isRoot);
  const env = { PATH: config.hostPath, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  const supervisor = createSupervisor({ user, env, logger: log });
  const reach = (dir: string) => grantTraverse(user, [config.home, servicesDir, dir]);
  const providers = createProviders({ servicesDir, supervisor, user, env, path: config.hostPath, reach });
  const service = createAddonService({ store, releases, providers, backupsDir: join(config.home, 'backups'), logger: log });
  return {
    service,
    provisioner: createServiceProvisioner(service, providers),
    teardown: createAddonTeardown(service),
    /** Starts the servers existing add-ons need; failures are logged, not thrown. */
    start: () => service.resume(),
    /** Stops every add-on server cleanly (platform shutdown). */
    stop: () => supervisor.stopAll(),
  };
}

export type Addons = Awaited<ReturnType<typeof createAddons>>;

import { generateAppName } from '../domain/index.js';
import type { Addon, App, Release } from '../domain/index.js';
import type { ReleaseService } from '../releases/index.js';
import { conflict, errorMessage, isPlatformError, notFound, PlatformError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import { isoTime } from '../shared/time.js';
import type { Store } from '../store/index.js';
import { chooseAttachment, configVarOf, validateAddonName } from './attachments.js';
import { createBackups, type NamedBackup } from './backups.js';
import { findProvider, resolvePlan } from './catalogue.js';
import { credentialsFromUrl, withHost } from './internal/credentials.js';
import { createSerializer } from './internal/serial.js';
import type { AddonProvider, AddonStatus, Credentials, ServiceDescription } from './provider.js';

export interface AddonServiceDeps {
  store: Pick<Store, 'apps' | 'addons' | 'releases' | 'transaction'>;
  releases: Pick<ReleaseService, 'setAddonConfig'>;
  providers: ReadonlyMap<string, AddonProvider>;
  backupsDir: string;
  logger: Logger;
  /** The host the platform's own servers are reached on (services address or 127.0.0.1). */
  urlHost: string;
  /** Why dynos cannot reach servers on this host (the runtime says, with what to configure); null when they can. */
  hostedRefusal?: string | null;
}

export interface NewAddon {
  /** `service` or `service:plan`. */
  plan: string;
  name?: string;
  /** Config var prefix (`--as`). */
  attachmentName?: string;
  /** Provider options, e.g. `url` for an external service. */
  options?: Readonly<Record<string, string>>;
}

export interface ServiceListing extends ServiceDescription {
  /** Why it cannot be created on this host (what to install), or null. */
  unavailable: string | null;
}

/** A provider failure as users see it: its first line only (later lines may echo SQL with secrets). */
const providerFailure = (what: string, e: unknown): PlatformError =>
  isPlatformError(e) ? e : new PlatformError('service_unavailable', `${what} failed: ${errorMessage(e).split('\n')[0]}`);

/**
 * Add-ons: records intent (the `addons` table), asks providers to do the work,
 * and turns every change of an add-on's config vars into a release.
 */
export function createAddonService({ store, releases, providers, backupsDir, logger, urlHost, hostedRefusal }: AddonServiceDeps) {
  const serial = createSerializer();
  const providerOf = (addon: Addon): AddonProvider => {
    const p = findProvider(providers, addon.service);
    if (!p) throw new PlatformError('internal_error', `No provider for the ${addon.service} service of ${addon.name}.`);
    return p;
  };
  const resourceOf = (addon: Addon) => ({ providerId: addon.providerId ?? '', url: Object.values(addon.config)[0] ?? '' });
  const backups = createBackups({ store, providerOf, resourceOf, dir: backupsDir, serial });

  const freeName = (service: string): string => {
    for (let i = 0; i < 20; i++) {
      const name = `${service}-${generateAppName()}`;
      if (!store.addons.nameTaken(name)) return name;
    }
    throw conflict('Could not find a free add-on name; please choose one with --name.');
  };

  /** Reserves the names and the record (state `provisioning`) in one transaction. */
  const reserve = (app: App, provider: AddonProvider, plan: string, req: NewAddon): Addon =>
    store.transaction(() => {
      if (req.name !== undefined) validateAddonName(req.name);
      const attachmentName = chooseAttachment(
        provider.service, store.addons.list(app.id), store.releases.getConfig(app.id), req.attachmentName,
      );
      const name = req.name ?? freeName(provider.service.name);
      if (store.addons.nameTaken(name)) throw conflict(`The add-on name ${name} is already taken; choose another.`);
      const t = isoTime();
      const addon: Addon = {
        id: newId(), appId: app.id, name, service: provider.service.name, plan, attachmentName, state: 'provisioning',
        providerId: null, config: {}, createdAt: t, updatedAt: t,
      };
      store.addons.insert(addon);
      return addon;
    });

  /** Deletes the add-on's resource and record; a final backup first unless `backup` is false. */
  const remove = (addon: Addon, opts: { backup: boolean }) =>
    serial(addon.id, async () => {
      const provider = providerOf(addon);
      let final: NamedBackup | null = null;
      if (opts.backup && addon.state === 'provisioned' && provider.service.backupExtension !== null) {
        final = await backups.takeNow(addon).catch((e: unknown) => {
          throw providerFailure(`The final backup of ${addon.name} (skip it with --no-backup)`, e);
        });
      }
      if (addon.providerId) await provider.deprovision(resourceOf(addon)).catch((e: unknown) => {
        throw providerFailure(`Deprovisioning ${addon.name}`, e);
      });
      store.addons.delete(addon.id);
      logger.info('add-on destroyed', { addon: addon.name, backup: final?.path ?? null });
      return final;
    });

  /**
   * Points an add-on on the platform's own servers at `urlHost` when its URL
   * names another host (made before the services address existed, or when it
   * still did): the servers listen on both, so only the config var changes, in
   * a release, as a rotation does. External URLs are the user's and stay.
   */
  const moveToUrlHost = (addon: Addon): void => {
    const provider = findProvider(providers, addon.service);
    const url = resourceOf(addon).url;
    const app = store.apps.find(addon.appId);
    if (!provider || provider.service.external || !url || !app || credentialsFromUrl(url).host === urlHost) return;
    const varName = configVarOf(addon.attachmentName, provider.service);
    store.transaction(() => {
      const updated = store.addons.update(addon.id, { config: { [varName]: withHost(url, urlHost) } });
      releases.setAddonConfig(app, updated.config, `Update ${addon.attachmentName} host to ${urlHost} (${addon.name})`, null);
    });
    logger.info('add-on URL moved to the services host', { app: app.name, addon: addon.name, host: urlHost });
  };

  return {
    providerOf,
    backups,

    /** Every service, and whether this host can run it. */
    async catalogue(): Promise<ServiceListing[]> {
      return Promise.all([...providers.values()].map(async (p) => ({ ...p.service, unavailable: await p.unavailable() })));
    },

    list: (app: App): Addon[] => store.addons.list(app.id),

    find(app: App, idOrName: string): Addon {
      const addon = store.addons.find(app.id, idOrName);
      if (!addon) throw notFound('add-on', `${idOrName}. \`cupaas addons -a ${app.name}\` lists this app's add-ons`);
      return addon;
    },

    /** Provisions (or attaches) an add-on, sets its config var, creates a release. Nothing changes on failure. */
    async create(app: App, req: NewAddon, userId: string | null): Promise<{ addon: Addon; release: Release | null }> {
      const { provider, plan } = resolvePlan(providers, req.plan);
      if (hostedRefusal && !provider.service.external) throw new PlatformError('invalid_params', hostedRefusal);
      const why = await provider.unavailable();
      if (why) throw new PlatformError('invalid_params', why);
      const reserved = reserve(app, provider, plan, req);
      const varName = configVarOf(reserved.attachmentName, provider.service);
      let addon: Addon;
      try {
        const r = await provider.provision({ addonId: reserved.id, options: req.options ?? {} });
        addon = store.addons.update(reserved.id, { state: 'provisioned', providerId: r.providerId, config: { [varName]: r.url } });
      } catch (e) {
        store.addons.delete(reserved.id);
        logger.warn('add-on provisioning failed', { addon: reserved.name, error: errorMessage(e) });
        throw providerFailure(`Provisioning ${provider.service.name}`, e);
      }
      try {
        const release = releases.setAddonConfig(
          app, addon.config, `Attach ${addon.attachmentName} (${addon.name})`, userId,
        );
        logger.info('add-on created', { app: app.name, addon: addon.name, var: varName });
        return { addon, release };
      } catch (e) {
        await remove(addon, { backup: false });
        throw e;
      }
    },

    /** Renames an add-on or changes its plan (within its service). */
    update(app: App, addon: Addon, patch: { name?: string; plan?: string }): Addon {
      const plan = patch.plan === undefined ? addon.plan : resolvePlan(providers, `${addon.service}:${patch.plan.split(':').pop()}`).plan;
      return store.transaction(() => {
        if (patch.name !== undefined && patch.name !== addon.name) {
          validateAddonName(patch.name);
          if (store.addons.nameTaken(patch.name)) throw conflict(`The add-on name ${patch.name} is already taken; choose another.`);
        }
        return store.addons.update(addon.id, { name: patch.name ?? addon.name, plan });
      });
    },

    /** Removes the config var (a release), then the data (after a final backup unless `backup` is false). */
    async destroy(app: App, addon: Addon, opts: { backup: boolean }, userId: string | null) {
      if (opts.backup && addon.state === 'provisioned' && providerOf(addon).service.backupExtension !== null) {
        await providerOf(addon).status(resourceOf(addon)); // fail before touching config when the server is down
      }
      const unset = Object.fromEntries(Object.keys(addon.config).map((k) => [k, null]));
      const release = releases.setAddonConfig(app, unset, `Detach ${addon.attachmentName} (${addon.name})`, userId);
      const backup = await remove(addon, opts);
      return { addon: { ...addon, state: 'deprovisioned' as const }, release, backup };
    },

    /** For app teardown: no release, the app is going away. */
    remove,

    credentials: (addon: Addon): Credentials => providerOf(addon).credentials(resourceOf(addon)),
    status: (addon: Addon): Promise<AddonStatus> => providerOf(addon).status(resourceOf(addon)),

    /** New password for the add-on; the config var changes in a release and the old password stops working. */
    rotate: (app: App, addon: Addon, userId: string | null) =>
      serial(addon.id, async () => {
        const r = await providerOf(addon).rotate(resourceOf(addon)).catch((e: unknown) => {
          throw providerFailure(`Rotating the credentials of ${addon.name}`, e);
        });
        const varName = configVarOf(addon.attachmentName, providerOf(addon).service);
        const updated = store.addons.update(addon.id, { config: { [varName]: r.url } });
        const release = releases.setAddonConfig(app, updated.config, `Rotate ${addon.attachmentName} credentials (${addon.name})`, userId);
        return { addon: updated, release };
      }),

    /** Brings up the servers that existing add-ons need, their URLs on the current host (platform start). */
    async resume(): Promise<void> {
      // A record still `provisioning` was cut off by a platform crash: nothing can be finishing it now.
      for (const a of store.addons.listAll().filter((x) => x.state === 'provisioning')) store.addons.delete(a.id);
      for (const a of store.addons.listAll().filter((x) => x.state === 'provisioned')) {
        try {
          moveToUrlHost(a);
        } catch (e) {
          logger.error('add-on URL not moved to the services host', { addon: a.name, error: errorMessage(e) });
        }
      }
      const all = store.addons.listAll().filter((a) => a.state === 'provisioned');
      await Promise.all([...providers.values()].map(async (p) => {
        const mine = all.filter((a) => a.service === p.service.name).map(resourceOf);
        await p.resume(mine).catch((e: unknown) => logger.error('add-on servers did not start', { service: p.service.name, error: errorMessage(e) }));
      }));
    },
  };
}

export type AddonService = ReturnType<typeof createAddonService>;

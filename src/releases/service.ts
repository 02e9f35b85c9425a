import type { App, ConfigVars, PlatformEvent, Release } from '../domain/index.js';
import type { EventBus } from '../shared/events.js';
import { notFound, PlatformError } from '../shared/errors.js';
import type { Store } from '../store/index.js';
import { applyConfigChanges, describeConfigChange, type ConfigChanges } from './config-change.js';

export interface ReleaseServiceDeps {
  store: Pick<Store, 'releases' | 'addons' | 'transaction'>;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
}

export interface NewDeployRelease {
  slugId: string;
  description: string;
  services: readonly string[];
  /** Config defaults (app.json `env`) applied only where the app has no value yet. */
  configDefaults?: ConfigVars;
  userId: string | null;
  /** Records the release as failed with this reason (its release phase failed): it never runs. */
  failedReason?: string;
}

/**
 * Releases: every change to what an app runs (code, config, rollback) becomes
 * a new numbered release. History is append-only.
 */
export function createReleaseService({ store, events }: ReleaseServiceDeps) {
  /** A release that keeps serving the current slug with new config. */
  const releaseConfig = (app: App, config: ConfigVars, description: string, userId: string | null): Release => {
    const current = store.releases.current(app.id);
    const release = store.transaction(() => {
      store.releases.putConfig(app.id, config);
      return store.releases.insert({
        appId: app.id,
        description,
        status: current?.slugId ? 'pending' : 'succeeded',
        slugId: current?.slugId ?? null,
        config,
        services: current?.services ?? [],
        userId,
      });
    });
    events.publish({ type: 'release.created', appId: app.id, version: release.version, description });
    return release;
  };

  return {
    /** Applies config changes; creates a release only when something changed. */
    setConfig(app: App, changes: ConfigChanges, userId: string | null): { config: ConfigVars; release: Release | null } {
      const { next, set, removed } = applyConfigChanges(store.releases.getConfig(app.id), changes);
      if (!set.length && !removed.length) return { config: next, release: null };
      return { config: next, release: releaseConfig(app, next, describeConfigChange(set, removed), userId) };
    },

    /** The first release of a new app, with empty config. */
    initialRelease(app: App, userId: string | null): Release {
      return store.transaction(() => {
        store.releases.putConfig(app.id, {});
        return store.releases.insert({
          appId: app.id, description: 'Initial release', status: 'succeeded', slugId: null, config: {},
          services: [], userId,
        });
      });
    },

    /** A release of a newly built slug with the app's current config. */
    deploy(app: App, n: NewDeployRelease): Release {
      const release = store.transaction(() => {
        const current = store.releases.getConfig(app.id);
        const config = { ...n.configDefaults, ...current };
        store.releases.putConfig(app.id, config);
        const inserted = store.releases.insert({
          appId: app.id, description: n.description, status: n.failedReason ? 'failed' : 'pending', slugId: n.slugId, config,
          services: n.services, userId: n.userId,
        });
        if (!n.failedReason) return inserted;
        store.releases.setStatus(inserted.id, 'failed', n.failedReason);
        return { ...inserted, statusReason: n.failedReason };
      });
      events.publish({ type: 'release.created', appId: app.id, version: release.version, description: n.description });
      if (n.failedReason) events.publish({ type: 'release.status', appId: app.id, version: release.version, status: 'failed', reason: n.failedReason });
      return release;
    },

    /**
     * A new release with the target's slug and config. Add-on config vars keep
     * their current values: add-ons are never rolled back.
     */
    rollback(app: App, target: string | number, userId: string | null): Release {
      const to = store.releases.get(app.id, target);
      if (!to) throw notFound('release', String(target));
      if (!to.slugId && store.releases.current(app.id)?.slugId) {
        throw new PlatformError(
          'invalid_params',
          `v${to.version} has no build to roll back to; pick a release created by a deploy (see \`cupaas releases\`).`,
        );
      }
      const addonVars = Object.assign({}, ...store.addons.list(app.id).map((a) => a.config)) as ConfigVars;
      const description = `Rollback to v${to.version}`;
      const release = store.transaction(() => {
        const config = { ...to.config, ...addonVars };
        store.releases.putConfig(app.id, config);
        return store.releases.insert({
          appId: app.id, description, status: to.slugId ? 'pending' : 'succeeded', slugId: to.slugId, config,
          services: to.services, userId,
        });
      });
      events.publish({ type: 'release.created', appId: app.id, version: release.version, description });
      return release;
    },

    /** Config vars an add-on owns changed (created, rotated, destroyed). */
    setAddonConfig(app: App, changes: ConfigChanges, description: string, userId: string | null): Release | null {
      const { next, set, removed } = applyConfigChanges(store.releases.getConfig(app.id), changes);
      if (!set.length && !removed.length) return null;
      return releaseConfig(app, next, description, userId);
    },
  };
}

export type ReleaseService = ReturnType<typeof createReleaseService>;

import type { App, AppTeardown, PlatformEvent } from '../domain/index.js';
import { APP_NAME, APP_NAME_RULE, generateAppName } from '../domain/index.js';
import { conflict, invalid, notFound } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import { isGitBranchName } from '../shared/git-ref.js';
import { newId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { ReleaseService } from '../releases/index.js';
import { isoTime } from '../shared/time.js';
import type { Store } from '../store/index.js';

export interface AppServiceDeps {
  store: Pick<Store, 'apps' | 'transaction'>;
  releases: Pick<ReleaseService, 'initialRelease'>;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
  teardowns: readonly AppTeardown[];
  logger: Logger;
}

function validateName(name: string): void {
  if (!APP_NAME.test(name)) throw invalid(`Invalid app name "${name}". ${APP_NAME_RULE}`);
}

/** App lifecycle: create, rename, change settings, destroy. */
export function createAppService({ store, releases, events, teardowns, logger }: AppServiceDeps) {
  const freeName = (): string => {
    for (let i = 0; i < 20; i++) {
      const name = generateAppName();
      if (!store.apps.nameTaken(name)) return name;
    }
    throw conflict('Could not find a free app name; please choose one.');
  };

  return {
    find(idOrName: string): App {
      const app = store.apps.find(idOrName);
      if (!app) throw notFound('app', idOrName);
      return app;
    },

    /** A personal app of `ownerId`, or, with `teamId`, an app of that team (created by `ownerId`). */
    create(name: string | undefined, ownerId: string, teamId: string | null = null): App {
      if (name !== undefined) validateName(name);
      const t = isoTime();
      const app = store.transaction(() => {
        const finalName = name ?? freeName();
        if (store.apps.nameTaken(finalName)) throw conflict(`Name ${finalName} is already taken.`);
        const created: App = {
          id: newId(), name: finalName, ownerId, teamId, deployBranch: 'main', maintenance: false, createdAt: t, updatedAt: t,
        };
        store.apps.insert(created);
        releases.initialRelease(created, ownerId);
        return created;
      });
      events.publish({ type: 'app.created', appId: app.id, appName: app.name });
      return app;
    },

    update(app: App, patch: { name?: string; deployBranch?: string; maintenance?: boolean }): App {
      if (patch.name !== undefined) validateName(patch.name);
      if (patch.deployBranch !== undefined && !isGitBranchName(patch.deployBranch)) {
        throw invalid(`Invalid branch name "${patch.deployBranch}": git does not accept it (see \`git help check-ref-format\`).`);
      }
      const updated = store.transaction(() => {
        if (patch.name !== undefined && patch.name !== app.name && store.apps.nameTaken(patch.name)) {
          throw conflict(`Name ${patch.name} is already taken.`);
        }
        return store.apps.update(app.id, patch);
      });
      if (updated.name !== app.name) {
        events.publish({ type: 'app.renamed', appId: app.id, appName: updated.name, previousName: app.name });
      }
      if (updated.maintenance !== app.maintenance) {
        events.publish({ type: 'app.maintenance-changed', appId: app.id, maintenance: updated.maintenance });
      }
      return updated;
    },

    async destroy(app: App): Promise<void> {
      for (const t of teardowns) {
        logger.info('app teardown', { app: app.name, step: t.name });
        await t.beforeDestroy(app);
      }
      store.apps.delete(app.id);
      events.publish({ type: 'app.destroyed', appId: app.id, appName: app.name });
    },
  };
}

export type AppService = ReturnType<typeof createAppService>;

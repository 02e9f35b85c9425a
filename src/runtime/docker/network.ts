import { LABEL, type Engine } from '../../images/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';

/** The engine's "no such network" / "already exists" answers. */
const statusOf = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode;

/**
 * One bridge network per app: its containers reach each other and, through
 * the bridge's gateway, the host (the router reaches them there, and they
 * reach add-ons on the services address); the engine's isolation rules keep
 * one app's network from another's.
 */
export function createAppNetworks(engine: Engine, home: string, logger: Logger) {
  const pending = new Map<string, Promise<string>>();
  /** Removals under way: a new dyno of the app waits for them, or its network could vanish under it. */
  const releasing = new Map<string, Promise<void>>();
  const nameOf = (appId: string) => `cupaas-${home}-${appId}`;

  const create = async (appId: string): Promise<string> => {
    const name = nameOf(appId);
    try {
      await engine.getNetwork(name).inspect();
      return name;
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    try {
      await engine.createNetwork({
        Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABEL.home]: home, [LABEL.app]: appId },
      });
    } catch (e) {
      if (statusOf(e) !== 409) throw e;
    }
    return name;
  };

  return {
    /** The app's network, created on first use. */
    ensure(appId: string): Promise<string> {
      let p = pending.get(appId);
      if (!p) {
        const removal = releasing.get(appId) ?? Promise.resolve();
        p = removal.then(() => create(appId)).finally(() => pending.delete(appId));
        pending.set(appId, p);
      }
      return p;
    },
    /** Removes the app's network once its last container is gone (kept while any runs). */
    release(appId: string): Promise<void> {
      const removal = engine
        .getNetwork(nameOf(appId))
        .remove()
        .catch((e: unknown) => {
          if (![403, 404, 409].includes(statusOf(e) ?? 0)) logger.warn('app network not removed', { app: appId, error: errorMessage(e) });
        })
        .finally(() => releasing.delete(appId));
      releasing.set(appId, removal);
      return removal;
    },
  };
}

import type { Backend } from '../../domain/index.js';
import type { AppRoute } from '../data-plane.js';

/**
 * App routes and per-dyno in-flight counts for the Node data plane. Picks
 * the dyno with the fewest outstanding requests; ties go round robin, so an
 * idle app spreads sequential requests evenly.
 */
export function createBalancer() {
  const routes = new Map<string, AppRoute>();
  const cursors = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const idleWaiters = new Map<string, Array<() => void>>();
  const backendWaiters = new Map<string, Set<() => void>>();

  const wake = (appId: string) => {
    for (const w of backendWaiters.get(appId) ?? []) w();
    backendWaiters.delete(appId);
  };

  return {
    route: (appId: string): AppRoute | undefined => routes.get(appId),

    setApp(route: AppRoute): void {
      routes.set(route.appId, route);
      if (route.backends.length || route.maintenance || !route.webWanted) wake(route.appId);
    },

    removeApp(appId: string): void {
      routes.delete(appId);
      cursors.delete(appId);
      wake(appId);
    },

    /** Every dyno some app is routed to. */
    backends(): Backend[] {
      return [...routes.values()].flatMap((r) => r.backends);
    },

    /** The next dyno to use, skipping `exclude` (dynos this request already failed on). */
    pick(appId: string, exclude: ReadonlySet<string>): Backend | undefined {
      const backends = routes.get(appId)?.backends ?? [];
      const start = cursors.get(appId) ?? 0;
      let best: { backend: Backend; index: number; load: number } | undefined;
      for (let k = 0; k < backends.length; k++) {
        const index = (start + k) % backends.length;
        const backend = backends[index] as Backend;
        if (exclude.has(backend.dynoId)) continue;
        const load = inFlight.get(backend.dynoId) ?? 0;
        if (!best || load < best.load) best = { backend, index, load };
      }
      if (best) cursors.set(appId, best.index + 1);
      return best?.backend;
    },

    acquire(dynoId: string): void {
      inFlight.set(dynoId, (inFlight.get(dynoId) ?? 0) + 1);
    },

    release(dynoId: string): void {
      const n = (inFlight.get(dynoId) ?? 1) - 1;
      if (n > 0) return void inFlight.set(dynoId, n);
      inFlight.delete(dynoId);
      for (const w of idleWaiters.get(dynoId) ?? []) w();
      idleWaiters.delete(dynoId);
    },

    whenIdle(dynoId: string): Promise<void> {
      if (!inFlight.get(dynoId)) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.set(dynoId, [...(idleWaiters.get(dynoId) ?? []), resolve]));
    },

    /** Waits up to `ms` for the app to get a dyno (or stop needing one); true if it has backends now. */
    async waitForBackends(appId: string, ms: number): Promise<boolean> {
      if (ms > 0 && !routes.get(appId)?.backends.length) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            backendWaiters.get(appId)?.delete(done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          let set = backendWaiters.get(appId);
          if (!set) backendWaiters.set(appId, (set = new Set()));
          set.add(done);
        });
      }
      return !!routes.get(appId)?.backends.length;
    },
  };
}

export type Balancer = ReturnType<typeof createBalancer>;

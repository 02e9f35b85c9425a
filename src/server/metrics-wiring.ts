import { createAutoscaler, type Autoscaler } from '../autoscale/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { createMetrics, sampleDynos } from '../metrics/index.js';
import { MAX_QUANTITY, type FormationService } from '../reconciler/index.js';
import type { RequestRecord } from '../router/index.js';
import type { RuntimeDriver } from '../runtime/index.js';
import type { PlatformEvent } from '../domain/index.js';
import { errorMessage } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';

/** Metrics, fed by the router's control plane; created before the router. */
export function createPlatformMetrics(store: Store, events: Pick<EventBus<PlatformEvent>, 'subscribe'>, logger: Logger) {
  const metrics = createMetrics({ store, logger });
  // The router reports every request by app id and Prometheus labels it by name: names are read from
  // the store once per app, not once per request (a query per request cost more than routing it).
  const names = new Map<string, string>();
  events.subscribe((e) => {
    if (e.type === 'app.renamed' || e.type === 'app.destroyed') names.delete(e.appId);
  });
  const appName = (appId: string): string | undefined => {
    let name = names.get(appId);
    if (name === undefined && (name = store.apps.find(appId)?.name) !== undefined) names.set(appId, name);
    return name;
  };
  return {
    metrics,
    /** The router's per-request hook. */
    onRequest: (r: RequestRecord) => metrics.request(r, appName(r.appId) ?? r.appId),
    /** Samples dynos and starts the autoscaler once the runtime and formation exist; returns the stop. */
    startRuntimeSide(deps: {
      driver: RuntimeDriver; formation: FormationService; config: Readonly<ResolvedConfig>; events: Pick<EventBus<PlatformEvent>, 'subscribe'>;
    }): {
      autoscaler: Autoscaler;
      stop: () => void;
    } {
      const stopSampling = sampleDynos({ driver: deps.driver, metrics, appName });
      metrics.keepRecentFor(deps.config.autoscale.windowMs);
      const autoscaler = createAutoscaler({
        store,
        recentP95: (appId, type, windowMs) => metrics.recentP95(appId, type, windowMs),
        quantity: (app, type) => deps.formation.list(app).find((f) => f.type === type)?.quantity,
        scale: (app, type, quantity, by) => deps.formation.update(app, [{ type, quantity }], by),
        maxQuantity: MAX_QUANTITY,
        settings: { ...deps.config.autoscale, minRequests: 20, scaleInRatio: 0.5 },
        logger,
      });
      autoscaler.start();
      // A destroyed app's stored minutes go with it (cascade); its Prometheus series and live minute go here.
      const unsubscribe = deps.events.subscribe((e) => {
        if (e.type !== 'app.destroyed') return;
        metrics.forgetApp(e.appId, e.appName).catch((err: unknown) => logger.error('forgetting metrics failed', { error: errorMessage(err) }));
      });
      return {
        autoscaler,
        stop: () => {
          unsubscribe();
          autoscaler.stop();
          stopSampling();
          metrics.flush();
        },
      };
    },
  };
}


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
export function createPlatformMetrics(store: Store, logger: Logger) {
  const metrics = createMetrics({ store, logger });
  const appName = (appId: string) => store.apps.find(appId)?.name;
  return {
    metrics,
    /** The router's per-request hook: a request record, narrowed to what metrics keep. */
    onRequest: (r: RequestRecord) =>
      metrics.request({
        appId: r.appId, appName: appName(r.appId) ?? r.appId, dyno: r.dyno, connectMs: r.connectMs, serviceMs: r.serviceMs,
        status: r.status, hCode: r.error?.code,
      }),
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


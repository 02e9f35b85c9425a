import type { App } from '../domain/index.js';
import { invalid, errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { isoTime } from '../shared/time.js';
import type { AutoscalingPolicy, Store } from '../store/index.js';
import { decide, type AutoscaleSettings } from './decide.js';

/** Only web dynos scale on response time (Heroku's rule): the router measures nothing else. */
export const AUTOSCALED_TYPES = ['web'] as const;

export interface AutoscalerDeps {
  store: { autoscaling: Pick<Store['autoscaling'], 'get' | 'put' | 'listEnabled' | 'markScaled'>; apps: Pick<Store['apps'], 'find'> };
  /** p95 over the last `windowMs` (metrics). */
  recentP95(appId: string, processType: string, windowMs: number): { p95Ms: number | null; requests: number };
  /** The formation's quantity now, undefined when the type does not exist. */
  quantity(app: App, processType: string): number | undefined;
  /** Writes the formation (the reconciler does the rest, on any driver). */
  scale(app: App, processType: string, quantity: number, by: string): void;
  /** The largest quantity a formation allows. */
  maxQuantity: number;
  settings: AutoscaleSettings & { intervalMs: number; windowMs: number };
  logger: Logger;
  now?: () => number;
}

export interface PolicyInput {
  enabled: boolean;
  minQuantity: number;
  maxQuantity: number;
  p95TargetMs: number;
}

/**
 * Autoscaling of web dynos on p95 response time. Policies are desired state
 * in the store; a periodic evaluation reads metrics and, through `decide`,
 * writes the formation. It never starts or stops dynos itself.
 */
export function createAutoscaler(deps: AutoscalerDeps) {
  const now = deps.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;

  const evaluate = (p: AutoscalingPolicy) => {
    const app = deps.store.apps.find(p.appId);
    const quantity = app && deps.quantity(app, p.processType);
    if (!app || quantity === undefined) return;
    const { p95Ms, requests } = deps.recentP95(app.id, p.processType, deps.settings.windowMs);
    const t = now();
    const decision = decide(
      { policy: p, quantity, p95Ms, requests, now: t, lastScaledAt: p.lastScaledAt ? Date.parse(p.lastScaledAt) : null },
      deps.settings,
    );
    if (!decision) return;
    deps.scale(app, p.processType, decision.quantity, `autoscaler (${decision.reason})`);
    deps.store.autoscaling.markScaled(app.id, p.processType, isoTime(t));
  };

  const tick = () => {
    for (const p of deps.store.autoscaling.listEnabled()) {
      try {
        evaluate(p);
      } catch (e) {
        deps.logger.error('autoscaling failed', { app: p.appId, type: p.processType, error: errorMessage(e) });
      }
    }
  };

  return {
    get(app: App, processType: string): AutoscalingPolicy | undefined {
      return deps.store.autoscaling.get(app.id, processType);
    },
    /** Validates and stores a policy; an enabled one is evaluated at once (a formation under min grows now). */
    set(app: App, processType: string, input: PolicyInput): AutoscalingPolicy {
      if (!(AUTOSCALED_TYPES as readonly string[]).includes(processType)) {
        throw invalid(`Only ${AUTOSCALED_TYPES.join(', ')} dynos autoscale (on response time); got "${processType}".`);
      }
      if (deps.quantity(app, processType) === undefined) {
        throw invalid(`${app.name} has no ${processType} process type yet: deploy code with a web process first.`);
      }
      if (input.minQuantity < 1 || input.maxQuantity > deps.maxQuantity || input.minQuantity > input.maxQuantity) {
        throw invalid(`Use 1 <= min <= max <= ${deps.maxQuantity}; got min ${input.minQuantity}, max ${input.maxQuantity}.`);
      }
      if (input.p95TargetMs < 1) throw invalid('The p95 target must be at least 1 ms, e.g. `--p95 500ms`.');
      const policy = deps.store.autoscaling.put({ appId: app.id, processType, ...input });
      if (policy.enabled) evaluate(policy);
      return deps.store.autoscaling.get(app.id, processType) as AutoscalingPolicy;
    },
    start(): void {
      timer = setInterval(tick, deps.settings.intervalMs);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type Autoscaler = ReturnType<typeof createAutoscaler>;

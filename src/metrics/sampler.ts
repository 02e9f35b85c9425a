import type { RuntimeDriver } from '../runtime/index.js';
import type { Metrics } from './recorder.js';

export interface SamplerDeps {
  driver: Pick<RuntimeDriver, 'list' | 'subscribe' | 'usage'>;
  metrics: Pick<Metrics, 'usage' | 'dynoGone' | 'crash'>;
  appName(appId: string): string | undefined;
  intervalMs?: number;
}

/**
 * Feeds the runtime into metrics: each running dyno's memory and CPU every
 * `intervalMs` (when the driver can measure), and every exit nobody asked
 * for as a restart. Returns its stop.
 */
export function sampleDynos(deps: SamplerDeps): () => void {
  const { driver, metrics } = deps;
  const sample = () => {
    if (!driver.usage) return;
    for (const d of driver.list()) {
      const name = deps.appName(d.spec.appId);
      const u = driver.usage(d.spec.dynoId);
      if (name && u) metrics.usage(d.spec.appId, name, { id: d.spec.dynoId, name: d.spec.name, type: d.spec.processType }, u);
    }
  };
  const unsubscribe = driver.subscribe((e) => {
    if (e.type !== 'exited') return;
    const { spec } = e.dyno;
    const name = deps.appName(spec.appId) ?? spec.appId;
    metrics.dynoGone(name, { id: spec.dynoId, name: spec.name });
    if (!e.requested) metrics.crash(spec.appId, name, spec.processType);
  });
  const timer = setInterval(sample, deps.intervalMs ?? 10_000);
  timer.unref();
  sample();
  return () => {
    clearInterval(timer);
    unsubscribe();
  };
}

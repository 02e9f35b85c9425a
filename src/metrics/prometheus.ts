import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { lazyPackage } from '../shared/lazy.js';

/** prom-client and OpenTelemetry's API (~10 MB resident): loaded by the first series or scrape (issue 17). */
const promClient = lazyPackage<typeof import('prom-client')>('prom-client');

/** Seconds; Prometheus' convention for durations. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The platform's Prometheus registry (its own, never prom-client's global
 * one): the platform process itself, plus per-app router and dyno series.
 * Labels carry app names, so a destroyed app's series are removed.
 */
function createSeries() {
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = promClient();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'cupaas_platform_' });
  const requests = new Counter({
    name: 'cupaas_router_requests_total', help: 'Requests the router finished, by app, process type, status class and H-code.',
    labelNames: ['app', 'process_type', 'status', 'code'] as const, registers: [registry],
  });
  const latency = new Histogram({
    name: 'cupaas_router_response_seconds', help: 'Time from the request reaching the router to the end of the response.',
    labelNames: ['app', 'process_type'] as const, buckets: LATENCY_BUCKETS, registers: [registry],
  });
  const memory = new Gauge({
    name: 'cupaas_dyno_memory_bytes', help: 'Resident memory of a dyno.', labelNames: ['app', 'dyno'] as const, registers: [registry],
  });
  const cpu = new Gauge({
    name: 'cupaas_dyno_cpu_seconds', help: 'CPU time a dyno used since it started.', labelNames: ['app', 'dyno'] as const, registers: [registry],
  });
  const restarts = new Counter({
    name: 'cupaas_dyno_crashes_total', help: 'Dynos that exited without being asked to (each is restarted).',
    labelNames: ['app', 'process_type'] as const, registers: [registry],
  });
  return {
    registry,
    request(app: string, processType: string, status: number, code: string | undefined, seconds: number) {
      requests.inc({ app, process_type: processType, status: `${Math.floor(status / 100)}xx`, code: code ?? '' });
      latency.observe({ app, process_type: processType }, seconds);
    },
    usage(app: string, dyno: string, rssBytes: number, cpuSeconds: number) {
      memory.set({ app, dyno }, rssBytes);
      cpu.set({ app, dyno }, cpuSeconds);
    },
    dynoGone(app: string, dyno: string) {
      memory.remove({ app, dyno });
      cpu.remove({ app, dyno });
    },
    crash(app: string, processType: string) {
      restarts.inc({ app, process_type: processType });
    },
    /** Removes every series of the app (prom-client removes exact label sets only). */
    async forgetApp(app: string) {
      for (const m of [requests, latency, memory, cpu, restarts] as Array<Counter<string> | Gauge<string> | Histogram<string>>) {
        const sets = new Map<string, Record<string, string | number>>();
        for (const v of (await m.get()).values) {
          if (v.labels.app !== app) continue;
          const { le: _bucket, ...labels } = v.labels;
          sets.set(JSON.stringify(labels), labels as Record<string, string | number>);
        }
        for (const labels of sets.values()) m.remove(labels);
      }
    },
  };
}

type Series = ReturnType<typeof createSeries>;

/**
 * The platform's Prometheus registry, created (and prom-client loaded) by the
 * first thing it records or the first scrape: a server nobody uses does not
 * hold it. Series start empty either way, so nothing is lost by waiting.
 */
export function createPrometheus() {
  let series: Series | undefined;
  const live = () => (series ??= createSeries());
  return {
    get registry(): Registry {
      return live().registry;
    },
    request: (...a: Parameters<Series['request']>) => live().request(...a),
    usage: (...a: Parameters<Series['usage']>) => live().usage(...a),
    dynoGone: (app: string, dyno: string) => series?.dynoGone(app, dyno),
    crash: (app: string, processType: string) => live().crash(app, processType),
    forgetApp: async (app: string) => series?.forgetApp(app),
  };
}

export type Prometheus = ReturnType<typeof createPrometheus>;

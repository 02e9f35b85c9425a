import type { Registry } from 'prom-client';
import { lazyPackage } from '../shared/lazy.js';
import { ByAppType } from './by-app-type.js';
import { formatFamily, type Family, type Sample } from './exposition.js';
import { bucketOf } from './latency.js';
import { statusClass } from './minute.js';

/** prom-client and OpenTelemetry's API (~1-2 MB resident, 90 modules): loaded by the first scrape (issue 17). */
const promClient = lazyPackage<typeof import('prom-client')>('prom-client');

/** Seconds; Prometheus' convention for durations. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Labels = Record<string, string>;

interface Histogram {
  labels: Labels;
  /** Observations at or below each bound of LATENCY_BUCKETS (not yet cumulative). */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/** One app's process type as the router sees it: requests by status class and H-code, and the latency histogram. */
interface RouterSeries {
  counters: Map<string, { labels: Labels; value: number }>;
  latency: Histogram;
}

const newRouterSeries = (app: string, processType: string): RouterSeries => ({
  counters: new Map(),
  latency: { labels: { app, process_type: processType }, buckets: new Float64Array(LATENCY_BUCKETS.length), sum: 0, count: 0 },
});

/** Series by their label values, so a label set is one entry however often it is recorded. */
class SeriesMap<T extends { labels: Labels }> extends Map<string, T> {
  at(labels: Labels, make: () => T): T {
    const key = Object.values(labels).join('\u0000');
    let s = this.get(key);
    if (!s) this.set(key, (s = make()));
    return s;
  }

  forget(app: string): void {
    for (const [key, s] of this) if (s.labels.app === app) this.delete(key);
  }
}

/**
 * The platform's Prometheus exposition: the per-app router and dyno series,
 * kept here as plain numbers (a few per app, process type and dyno; removed
 * with the dyno or the app), and the platform process's own series from
 * prom-client's default collectors on a registry of its own (never the global one).
 * prom-client loads at the first scrape, not with the first request a server
 * routes: most servers are never scraped (issue 17).
 */
export function createPrometheus() {
  // By app, then process type: a request finds its series without building a key or a label set.
  const router = new ByAppType<RouterSeries>();
  const memory = new SeriesMap<{ labels: Labels; value: number }>();
  const cpu = new SeriesMap<{ labels: Labels; value: number }>();
  const crashes = new SeriesMap<{ labels: Labels; value: number }>();
  let platform: Registry | undefined;
  const platformRegistry = () => {
    if (platform) return platform;
    const { Registry, collectDefaultMetrics } = promClient();
    platform = new Registry();
    collectDefaultMetrics({ register: platform, prefix: 'cupaas_platform_' });
    return platform;
  };

  const routerSeries = (): RouterSeries[] => [...router.values()];
  const families = (): Family[] => [
    {
      name: 'cupaas_router_requests_total', type: 'counter',
      help: 'Requests the router finished, by app, process type, status class and H-code.',
      samples: routerSeries().flatMap((r) => [...r.counters.values()]).map((s): Sample => ({ labels: s.labels, value: s.value })),
    },
    {
      name: 'cupaas_router_response_seconds', type: 'histogram',
      help: 'Time from the request reaching the router to the end of the response.',
      samples: routerSeries().flatMap((r) => histogramSamples(r.latency)),
    },
    { name: 'cupaas_dyno_memory_bytes', type: 'gauge', help: 'Resident memory of a dyno.', samples: [...memory.values()] },
    { name: 'cupaas_dyno_cpu_seconds', type: 'gauge', help: 'CPU time a dyno used since it started.', samples: [...cpu.values()] },
    {
      name: 'cupaas_dyno_crashes_total', type: 'counter',
      help: 'Dynos that exited without being asked to (each is restarted).', samples: [...crashes.values()],
    },
  ];

  return {
    /** The text exposition format (0.0.4): the platform process's series, then the apps'. */
    async exposition(): Promise<{ contentType: string; text: string }> {
      const registry = platformRegistry();
      const own = await registry.metrics();
      return { contentType: registry.contentType, text: own + families().map(formatFamily).join('') };
    },
    /** On every request's path: label sets are built once per series, not per request. */
    request(app: string, processType: string, status: number, code: string | undefined, seconds: number) {
      const series = router.at(app, processType, newRouterSeries);
      const cls = statusClass(status);
      const key = code ? cls + code : cls;
      let counter = series.counters.get(key);
      if (!counter) series.counters.set(key, (counter = { labels: { app, process_type: processType, status: cls, code: code ?? '' }, value: 0 }));
      counter.value += 1;
      const h = series.latency;
      const bucket = bucketOf(LATENCY_BUCKETS, seconds);
      if (bucket < LATENCY_BUCKETS.length) h.buckets[bucket]! += 1;
      h.sum += seconds;
      h.count += 1;
    },
    usage(app: string, dyno: string, rssBytes: number, cpuSeconds: number) {
      memory.at({ app, dyno }, () => ({ labels: { app, dyno }, value: 0 })).value = rssBytes;
      cpu.at({ app, dyno }, () => ({ labels: { app, dyno }, value: 0 })).value = cpuSeconds;
    },
    dynoGone(app: string, dyno: string) {
      const key = [app, dyno].join('\u0000');
      memory.delete(key);
      cpu.delete(key);
    },
    crash(app: string, processType: string) {
      const labels = { app, process_type: processType };
      crashes.at(labels, () => ({ labels, value: 0 })).value += 1;
    },
    /** Removes every series of the app. */
    forgetApp(app: string) {
      router.forget(app);
      for (const m of [memory, cpu, crashes]) m.forget(app);
    },
  };
}

/** A histogram's cumulative `_bucket` samples (`le` last, +Inf included), `_sum` and `_count`. */
function histogramSamples(h: Histogram): Sample[] {
  let below = 0;
  const buckets = LATENCY_BUCKETS.map((le, i): Sample => {
    below += h.buckets[i]!;
    return { suffix: '_bucket', labels: { ...h.labels, le: String(le) }, value: below };
  });
  return [
    ...buckets,
    { suffix: '_bucket', labels: { ...h.labels, le: '+Inf' }, value: h.count },
    { suffix: '_sum', labels: h.labels, value: h.sum },
    { suffix: '_count', labels: h.labels, value: h.count },
  ];
}

export type Prometheus = ReturnType<typeof createPrometheus>;

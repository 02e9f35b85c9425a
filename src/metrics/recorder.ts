import type { MetricsPoint } from '../domain/index.js';
import type { DynoUsage } from '../runtime/index.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { sampleQuantile } from './latency.js';
import { addRequest, addUsage, emptyMinute, MINUTE_MS, minuteOf, toPoint, type MinuteData } from './minute.js';
import { createPrometheus } from './prometheus.js';

/** Heroku keeps 24 h of metrics at one-minute resolution. */
const RETENTION_MS = 24 * 60 * MINUTE_MS;
/** Response times kept per process type for the autoscaler's short window. */
const RECENT_MAX = 20_000;

/** What the router reports of one finished request (a `RequestRecord`, narrowed). */
export interface RequestSample {
  appId: string;
  appName: string;
  dyno: string | null;
  connectMs: number | null;
  serviceMs: number | null;
  status: number;
  hCode?: string;
}

export interface MetricsDeps {
  store: Pick<Store, 'metrics'>;
  logger: Logger;
  now?: () => number;
}

/** Router requests are served by web dynos; a request no dyno answered counts for web too. */
const processTypeOf = (dyno: string | null) => (dyno ? (dyno.split('.')[0] as string) : 'web');

/**
 * Metrics of apps' process types: the running minute in memory, finished
 * minutes in the store (24 h, pruned as minutes close), a short window of
 * raw response times for the autoscaler, and the Prometheus registry.
 */
export function createMetrics(deps: MetricsDeps) {
  const now = deps.now ?? Date.now;
  const prometheus = createPrometheus();
  let minute = minuteOf(now());
  let current = new Map<string, MinuteData>();
  const recent = new Map<string, Array<[number, number]>>();
  /** How long response times are kept for the autoscaler; until told its window, up to RECENT_MAX of them. */
  let recentKeepMs = Infinity;
  const cpuSeen = new Map<string, number>();

  const keyOf = (appId: string, type: string) => `${appId}\u0000${type}`;
  const splitKey = (key: string) => key.split('\u0000') as [string, string];

  /** Closes the running minute once the clock has left it. */
  const save = (nowMinute: number) => {
    const rows = [...current].map(([key, data]) => {
      const [appId, processType] = splitKey(key);
      return { appId, processType, minute, data };
    });
    try {
      deps.store.metrics.put(rows);
      deps.store.metrics.prune(nowMinute - RETENTION_MS);
    } catch (e) {
      deps.logger.error('storing metrics failed', { error: errorMessage(e) });
    }
  };
  const roll = () => {
    const m = minuteOf(now());
    if (m === minute) return;
    save(m);
    minute = m;
    current = new Map();
  };

  const running = (appId: string, type: string) => {
    roll();
    const key = keyOf(appId, type);
    let m = current.get(key);
    if (!m) current.set(key, (m = emptyMinute()));
    return m;
  };

  return {
    prometheus,
    request(r: RequestSample): void {
      const type = processTypeOf(r.dyno);
      const ms = (r.connectMs ?? 0) + (r.serviceMs ?? 0);
      addRequest(running(r.appId, type), ms, r.status, r.hCode);
      const key = keyOf(r.appId, type);
      const window = recent.get(key) ?? [];
      const t = now();
      window.push([t, ms]);
      let stale = Math.max(0, window.length - RECENT_MAX);
      while (stale < window.length && (window[stale] as [number, number])[0] < t - recentKeepMs) stale++;
      if (stale) window.splice(0, stale);
      recent.set(key, window);
      prometheus.request(r.appName, type, r.status, r.hCode, ms / 1000);
    },
    /** A dyno's usage now; CPU counts as the difference to its previous sample. */
    usage(appId: string, appName: string, dyno: { id: string; name: string; type: string }, u: DynoUsage): void {
      const before = cpuSeen.get(dyno.id);
      cpuSeen.set(dyno.id, u.cpuSeconds);
      addUsage(running(appId, dyno.type), u.rssBytes, before === undefined ? 0 : Math.max(0, u.cpuSeconds - before));
      prometheus.usage(appName, dyno.name, u.rssBytes, u.cpuSeconds);
    },
    dynoGone(appName: string, dyno: { id: string; name: string }): void {
      cpuSeen.delete(dyno.id);
      prometheus.dynoGone(appName, dyno.name);
    },
    /** A dyno exited without being asked to; the reconciler restarts it. */
    crash(appId: string, appName: string, processType: string): void {
      running(appId, processType).restarts += 1;
      prometheus.crash(appName, processType);
    },
    /** Stored minutes since `sinceMs`, then the running minute, oldest first. */
    series(appId: string, sinceMs: number, processType?: string): MetricsPoint[] {
      roll();
      const stored = deps.store.metrics
        .list<MinuteData>(appId, minuteOf(sinceMs))
        .map((r) => toPoint(r.minute, r.processType, r.data));
      const live = [...current]
        .map(([key, data]) => [splitKey(key), data] as const)
        .filter(([[a]]) => a === appId)
        .map(([[, type], data]) => toPoint(minute, type, data, now() - minute));
      return [...stored, ...live].filter((p) => !processType || p.process_type === processType);
    },
    /**
     * Keeps response times for `windowMs` only (the autoscaler's window): a busy app's window then
     * holds seconds of requests, not RECENT_MAX of them (~1.6 MB) whether or not it autoscales.
     */
    keepRecentFor(windowMs: number): void {
      recentKeepMs = windowMs;
    },
    /** The 95th percentile of response times in the last `windowMs`, and how many requests it is over. */
    recentP95(appId: string, processType: string, windowMs: number): { p95Ms: number | null; requests: number } {
      const since = now() - windowMs;
      const window = (recent.get(keyOf(appId, processType)) ?? []).filter(([t]) => t >= since);
      recent.set(keyOf(appId, processType), window);
      return { p95Ms: sampleQuantile(window.map(([, ms]) => ms), 0.95), requests: window.length };
    },
    /** Stores the running minute as far as it got (at shutdown); it is rewritten if it goes on. */
    flush(): void {
      roll();
      save(minute);
    },
    async forgetApp(appId: string, appName: string): Promise<void> {
      for (const key of [...current.keys(), ...recent.keys()]) {
        if (splitKey(key)[0] !== appId) continue;
        current.delete(key);
        recent.delete(key);
      }
      prometheus.forgetApp(appName);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

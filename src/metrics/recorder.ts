import type { MetricsPoint } from '../domain/index.js';
import type { DynoUsage } from '../runtime/index.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { sampleQuantile } from './latency.js';
import { ByAppType } from './by-app-type.js';
import { addRequest, addUsage, emptyMinute, MINUTE_MS, minuteOf, toPoint, type MinuteData } from './minute.js';
import { createPrometheus } from './prometheus.js';

/** Heroku keeps 24 h of metrics at one-minute resolution. */
const RETENTION_MS = 24 * 60 * MINUTE_MS;
/** Response times kept per process type for the autoscaler's short window. */
const RECENT_MAX = 20_000;

/** What the router reports of one finished request: a `RequestRecord` fits as it is, so none is built per request. */
export interface RequestSample {
  appId: string;
  dyno: string | null;
  connectMs: number | null;
  serviceMs: number | null;
  status: number;
  error?: { code: string };
}

export interface MetricsDeps {
  store: Pick<Store, 'metrics'>;
  logger: Logger;
  now?: () => number;
}

/** Router requests are served by web dynos; a request no dyno answered counts for web too. */
function processTypeOf(dyno: string | null): string {
  if (!dyno) return 'web';
  const dot = dyno.indexOf('.');
  return dot < 0 ? dyno : dyno.slice(0, dot);
}

/**
 * Recent response times of one process type, oldest first, in two number
 * arrays (no object per request). Old times are dropped by moving a start
 * index; the arrays are compacted once half of them is dropped, so a request
 * costs O(1) however full the window is.
 */
class RecentTimes {
  private times: number[] = [];
  private durations: number[] = [];
  private start = 0;

  /** Adds one, dropping those before `keepSince` and any beyond the newest RECENT_MAX. */
  push(t: number, ms: number, keepSince: number): void {
    this.times.push(t);
    this.durations.push(ms);
    this.drop(keepSince);
  }

  /** Response times at or after `since`; the older ones are dropped. */
  since(since: number): number[] {
    this.drop(since);
    return this.durations.slice(this.start);
  }

  private drop(before: number): void {
    let s = Math.max(this.start, this.times.length - RECENT_MAX);
    while (s < this.times.length && (this.times[s] as number) < before) s++;
    this.start = s;
    if (s >= 1024 && s * 2 >= this.times.length) {
      this.times = this.times.slice(s);
      this.durations = this.durations.slice(s);
      this.start = 0;
    }
  }
}

const newRecentTimes = () => new RecentTimes();

/**
 * Metrics of apps' process types: the running minute in memory, finished
 * minutes in the store (24 h, pruned as minutes close), a short window of
 * raw response times for the autoscaler, and the Prometheus registry.
 */
export function createMetrics(deps: MetricsDeps) {
  const now = deps.now ?? Date.now;
  const prometheus = createPrometheus();
  let minute = minuteOf(now());
  let current = new ByAppType<MinuteData>();
  const recent = new ByAppType<RecentTimes>();
  /** How long response times are kept for the autoscaler; until told its window, up to RECENT_MAX of them. */
  let recentKeepMs = Infinity;
  const cpuSeen = new Map<string, number>();

  /** Closes the running minute once the clock has left it. */
  const save = (nowMinute: number) => {
    const rows = [...current.entries()].map(([appId, processType, data]) => ({ appId, processType, minute, data }));
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
    current = new ByAppType();
  };

  const running = (appId: string, type: string) => {
    roll();
    return current.at(appId, type, emptyMinute);
  };

  return {
    prometheus,
    /** One finished request of the app named `appName`; on every request's path, so it allocates next to nothing. */
    request(r: RequestSample, appName: string): void {
      const type = processTypeOf(r.dyno);
      const ms = (r.connectMs ?? 0) + (r.serviceMs ?? 0);
      const code = r.error?.code;
      addRequest(running(r.appId, type), ms, r.status, code);
      const t = now();
      recent.at(r.appId, type, newRecentTimes).push(t, ms, t - recentKeepMs);
      prometheus.request(appName, type, r.status, code, ms / 1000);
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
      const live = [...current.of(appId)].map(([type, data]) => toPoint(minute, type, data, now() - minute));
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
      const window = recent.get(appId, processType)?.since(now() - windowMs) ?? [];
      return { p95Ms: sampleQuantile(window, 0.95), requests: window.length };
    },
    /** Stores the running minute as far as it got (at shutdown); it is rewritten if it goes on. */
    flush(): void {
      roll();
      save(minute);
    },
    async forgetApp(appId: string, appName: string): Promise<void> {
      current.forget(appId);
      recent.forget(appId);
      prometheus.forgetApp(appName);
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

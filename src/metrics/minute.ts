import type { MetricsPoint } from '../domain/index.js';
import { isoTime } from '../shared/time.js';
import { emptyHistogram, observe, quantile } from './latency.js';

export const MINUTE_MS = 60_000;

/** One minute of one process type, as stored (JSON) and summed while the minute runs. */
export interface MinuteData {
  requests: number;
  histogram: number[];
  maxMs: number;
  statuses: Record<string, number>;
  hCodes: Record<string, number>;
  memoryMaxBytes: number | null;
  cpuSeconds: number | null;
  restarts: number;
}

export const emptyMinute = (): MinuteData => ({
  requests: 0, histogram: emptyHistogram(), maxMs: 0, statuses: {}, hCodes: {}, memoryMaxBytes: null, cpuSeconds: null, restarts: 0,
});

export const minuteOf = (ms: number): number => ms - (ms % MINUTE_MS);

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

const CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
/** `2xx` for 200-299: the label statuses are counted under (a constant string, not one built per request). */
export const statusClass = (status: number): string => CLASSES[Math.floor(status / 100)] ?? `${Math.floor(status / 100)}xx`;

export function addRequest(m: MinuteData, ms: number, status: number, hCode: string | undefined): void {
  m.requests += 1;
  observe(m.histogram, ms);
  m.maxMs = Math.max(m.maxMs, ms);
  bump(m.statuses, statusClass(status));
  if (hCode) bump(m.hCodes, hCode);
}

export function addUsage(m: MinuteData, rssBytes: number, cpuSecondsDelta: number): void {
  m.memoryMaxBytes = Math.max(m.memoryMaxBytes ?? 0, rssBytes);
  m.cpuSeconds = (m.cpuSeconds ?? 0) + cpuSecondsDelta;
}

/** A stored or running minute as the API shows it; `elapsedMs` is how much of the minute has passed. */
export function toPoint(minute: number, processType: string, m: MinuteData, elapsedMs = MINUTE_MS): MetricsPoint {
  const seconds = Math.max(1, elapsedMs / 1000);
  return {
    time: isoTime(minute),
    process_type: processType,
    requests: m.requests,
    rps: Math.round((m.requests / seconds) * 100) / 100,
    p50_ms: quantile(m.histogram, 0.5, m.maxMs),
    p95_ms: quantile(m.histogram, 0.95, m.maxMs),
    p99_ms: quantile(m.histogram, 0.99, m.maxMs),
    statuses: { ...m.statuses },
    h_codes: { ...m.hCodes },
    memory_mb: m.memoryMaxBytes === null ? null : Math.round((m.memoryMaxBytes / 1048576) * 10) / 10,
    cpu_percent: m.cpuSeconds === null ? null : Math.round((m.cpuSeconds / seconds) * 1000) / 10,
    restarts: m.restarts,
  };
}

/** What `npm run bench` measurements return and how they are printed. */
export interface Result {
  measurement: string;
  target: string;
  connections?: number;
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** CPU time (user + system) the router process spent per request. */
  routerCpuUsPerReq?: number;
  value?: number;
  unit?: string;
}

export interface Measurement {
  name: string;
  run(): Promise<Result[]>;
}

/** One row per result, columns padded; throughput rows fill req/s and latency, others value and unit. */
export function printTable(results: readonly Result[]): void {
  const rows = results.map((r) => [
    r.measurement, r.target, String(r.connections ?? ''), String(r.requestsPerSec ?? r.value ?? ''),
    String(r.p50Ms ?? r.unit ?? ''), String(r.p99Ms ?? ''), String(r.routerCpuUsPerReq ?? ''),
  ]);
  const head = ['measurement', 'target', 'conns', 'req/s|value', 'p50 ms|unit', 'p99 ms', 'router cpu us/req'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i] as number)).join('  '));
}

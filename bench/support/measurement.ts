/** What `npm run bench` measurements return and how they are printed. */

/** The spread of one figure over the runs of a measurement. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export interface Result {
  measurement: string;
  target: string;
  connections?: number;
  /** Medians over `runs` runs. */
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** CPU time (user + system) the router's processes spent per request. */
  routerCpuUsPerReq?: number;
  runs?: number;
  /** wrk's threads (`-t`) for load measurements. */
  loadThreads?: number;
  spread?: { requestsPerSec: Spread; p99Ms: Spread; routerCpuUsPerReq?: Spread };
  /** Medians of per-run ratios: this target's req/s over direct's, and over nginx's, in the same run. */
  vsDirect?: number;
  vsNginx?: number;
  /** Median of per-run p99 minus direct's p99 in the same run. */
  addedP99Ms?: number;
  /** Requests wrk completed over all runs, and request log lines the target wrote for them (≥ requests: wrk does not count the ones cut at the end). */
  requests?: number;
  logged?: number;
  value?: number;
  unit?: string;
}

export interface Measurement {
  name: string;
  run(): Promise<Result[]>;
}

export function spreadOf(values: readonly number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { min: s[0] ?? NaN, median: +median.toFixed(3), max: s.at(-1) ?? NaN };
}

/** One row per result, columns padded; throughput rows fill req/s and latency, others value and unit. */
export function printTable(results: readonly Result[]): void {
  const opt = (v: number | undefined) => (v === undefined ? '' : String(v));
  const rows = results.map((r) => [
    r.measurement, r.target, opt(r.connections), String(r.requestsPerSec ?? r.value ?? ''),
    String(r.p50Ms ?? r.unit ?? ''), opt(r.p99Ms), opt(r.routerCpuUsPerReq), opt(r.vsDirect), opt(r.vsNginx),
    r.logged === undefined ? '' : `${r.logged}/${r.requests}`,
  ]);
  const head = ['measurement', 'target', 'conns', 'req/s|value', 'p50 ms|unit', 'p99 ms', 'cpu us/req', 'x direct', 'x nginx', 'logged/reqs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i] as number)).join('  '));
}

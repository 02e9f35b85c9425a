import type { MetricsInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

const cell = (v: number | null, unit = '') => (v === null ? '-' : `${v}${unit}`);
const counts = (c: Record<string, number>) => Object.entries(c).map(([k, n]) => `${k}:${n}`).join(' ');

export default defineCommand({
  name: 'metrics',
  summary: 'per-minute metrics of an app: requests/s, response times, statuses, memory, CPU, restarts',
  app: true,
  json: true,
  options: {
    minutes: { type: 'string', description: 'how far back (default 60, at most 1440)' },
    type: { type: 'string', description: 'only this process type, e.g. web' },
  },
  async run({ api, app, flags, out }) {
    const name = await app();
    const q = new URLSearchParams({ minutes: String(flags.minutes ?? '60') });
    if (typeof flags.type === 'string') q.set('process_type', flags.type);
    const m = await api.request<MetricsInfo>('GET', `/apps/${encodeURIComponent(name)}/metrics?${q}`);
    if (flags.json) return out.json(m);
    if (!m.points.length) return out.line(`No metrics for ${name} yet: they appear once it serves requests or runs dynos.`);
    out.section(`${name} metrics, one row per minute and process type`);
    out.table(
      m.points.map((p) => ({
        time: p.time.slice(11, 16), type: p.process_type, 'req/s': p.rps, p50: cell(p.p50_ms, 'ms'), p95: cell(p.p95_ms, 'ms'),
        p99: cell(p.p99_ms, 'ms'), statuses: counts({ ...p.statuses, ...p.h_codes }), memory: cell(p.memory_mb, 'MB'),
        cpu: cell(p.cpu_percent, '%'), restarts: p.restarts,
      })),
      ['time', 'type', 'req/s', 'p50', 'p95', 'p99', 'statuses', 'memory', 'cpu', 'restarts'],
    );
  },
});

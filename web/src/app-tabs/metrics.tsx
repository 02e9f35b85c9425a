import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsInfo, MetricsPoint } from '../../../src/domain/index.js';
import { appPath, get } from '../api.js';
import { ErrorNote, Section } from '../components.js';
import { useLoad } from '../hooks.js';
import type { TabProps } from '../pages/app.js';

interface Series {
  label: string;
  value: (p: MetricsPoint) => number | null;
  stroke: string;
}

/** One uPlot chart of `series` over the web (or given) process type's minutes. */
function Chart({ title, points, series, from, to }: { title: string; points: MetricsPoint[]; series: Series[]; from: number; to: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const data: uPlot.AlignedData = [points.map((p) => Date.parse(p.time) / 1000), ...series.map((s) => points.map(s.value))];
    const width = Math.max(280, el.current.clientWidth);
    const plot = new uPlot(
      {
        width, height: 180, scales: { x: { time: true, range: () => [from, to] } },
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, spanGaps: true, points: { show: true } }))],
        axes: [{}, { size: 50 }],
      },
      data,
      el.current,
    );
    return () => plot.destroy();
  }, [points, series, from, to]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={el} role="img" aria-label={`${title}: ${series.map((s) => `${s.label} latest ${points.length ? s.value(points[points.length - 1] as MetricsPoint) : 'none'}`).join(', ')}`} />
    </figure>
  );
}

const CHARTS: Array<{ title: string; series: Series[]; type: 'web' | 'all' }> = [
  { title: 'Throughput (requests/s)', type: 'web', series: [{ label: 'req/s', value: (p) => p.rps, stroke: '#4f46e5' }] },
  {
    title: 'Response time (ms)', type: 'web', series: [
      { label: 'p50', value: (p) => p.p50_ms, stroke: '#16a34a' },
      { label: 'p95', value: (p) => p.p95_ms, stroke: '#d97706' },
      { label: 'p99', value: (p) => p.p99_ms, stroke: '#dc2626' },
    ],
  },
  {
    title: 'Errors (per minute)', type: 'web', series: [
      { label: '5xx', value: (p) => p.statuses['5xx'] ?? 0, stroke: '#dc2626' },
      { label: 'H-codes', value: (p) => Object.values(p.h_codes).reduce((a, b) => a + b, 0), stroke: '#7c3aed' },
    ],
  },
  { title: 'Memory (MB, largest web dyno)', type: 'web', series: [{ label: 'MB', value: (p) => p.memory_mb, stroke: '#0891b2' }] },
  { title: 'CPU (% of a core, web)', type: 'web', series: [{ label: 'CPU %', value: (p) => p.cpu_percent, stroke: '#9333ea' }] },
];

/** Per-minute charts of the last hour; the running minute refreshes every 10 s. */
export function Metrics({ app }: TabProps) {
  const metrics = useLoad(() => get<MetricsInfo>(appPath(app.name, '/metrics?minutes=60')), [app.name], 10_000);
  const web = (metrics.data?.points ?? []).filter((p) => p.process_type === 'web');
  // The window shown is the last hour, whatever minutes have data.
  const to = Date.now() / 1000;
  const from = to - 3600;
  const restarts = (metrics.data?.points ?? []).reduce((a, p) => a + p.restarts, 0);
  return (
    <Section title="Metrics (last hour, per minute)">
      <ErrorNote error={metrics.error} />
      {metrics.data && !web.length && <p class="muted">No web traffic in the last hour.</p>}
      {web.length > 0 && CHARTS.map((c) => <Chart key={c.title} title={c.title} points={web} series={c.series} from={from} to={to} />)}
      <p>Dyno restarts after crashes (all types, last hour): <strong>{restarts}</strong></p>
    </Section>
  );
}

import type { AutoscalingInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

const USAGE = 'Usage: cupaas autoscale:enable -a APP --min 1 --max 10 --p95 500ms';

/** `500ms`, `1.5s` or a bare number of milliseconds. */
export function parseDuration(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(raw.trim());
  if (!m) throw new CliError(`"${raw}" is not a duration like 500ms or 1s.`, USAGE);
  return Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
}

const whole = (raw: unknown, what: string) => {
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n)) throw new CliError(`--${what} needs a whole number.`, USAGE);
  return n;
};

export const describePolicy = (a: AutoscalingInfo) =>
  a.enabled ? `${a.process_type} autoscaling on: ${a.min_quantity}..${a.max_quantity} dynos, p95 target ${a.p95_target_ms}ms` : `${a.process_type} autoscaling off`;

export default defineCommand({
  name: 'autoscale:enable',
  summary: 'scale web dynos between --min and --max to keep p95 response time under --p95',
  app: true,
  options: {
    min: { type: 'string', description: 'fewest dynos (at least 1)' },
    max: { type: 'string', description: 'most dynos' },
    p95: { type: 'string', description: 'p95 response time target, e.g. 500ms' },
    type: { type: 'string', description: 'process type (default web)' },
  },
  details: 'Example: cupaas autoscale:enable -a shop --min 1 --max 10 --p95 500ms',
  async run({ api, app, flags, out }) {
    const name = await app();
    const type = typeof flags.type === 'string' ? flags.type : 'web';
    const body = {
      enabled: true, min_quantity: whole(flags.min, 'min'), max_quantity: whole(flags.max, 'max'),
      p95_target_ms: parseDuration(typeof flags.p95 === 'string' ? flags.p95 : '500ms'),
    };
    const a = await api.request<AutoscalingInfo>('PUT', `/apps/${encodeURIComponent(name)}/formation/${type}/autoscaling`, { body });
    out.line(`${name}: ${describePolicy(a)}`);
  },
});

import type { AutoscalingInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { describePolicy } from './autoscale-enable.js';

export default defineCommand({
  name: 'autoscale:disable',
  summary: 'stop autoscaling (the formation keeps its current quantity)',
  app: true,
  options: { type: { type: 'string', description: 'process type (default web)' } },
  async run({ api, app, flags, out }) {
    const name = await app();
    const path = `/apps/${encodeURIComponent(name)}/formation/${typeof flags.type === 'string' ? flags.type : 'web'}/autoscaling`;
    const current = await api.request<AutoscalingInfo>('GET', path);
    const body = { enabled: false, min_quantity: current.min_quantity, max_quantity: current.max_quantity, p95_target_ms: current.p95_target_ms };
    out.line(`${name}: ${describePolicy(await api.request<AutoscalingInfo>('PUT', path, { body }))}`);
  },
});

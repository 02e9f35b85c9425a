import type { AddonServiceInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'addons:services',
  summary: 'list the services add-ons can be created from, and whether this host can run them',
  json: true,
  async run({ api, flags, out }) {
    const services = await api.request<AddonServiceInfo[]>('GET', '/addon-services');
    if (flags.json) return out.json(services);
    out.table(
      services.map((s) => ({
        service: s.name,
        plans: s.plans.map((p) => p.name).join(', '),
        available: s.available ? 'yes' : `no: ${s.unavailable_reason}`,
      })),
      ['service', 'plans', 'available'],
    );
  },
});

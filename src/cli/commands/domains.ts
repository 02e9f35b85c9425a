import type { DomainInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'domains',
  aliases: ['domains:list'],
  summary: 'list an app\'s domains: its default hostname and custom domains',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const domains = await api.list<DomainInfo>(`/apps/${encodeURIComponent(name)}/domains`);
    if (flags.json) return out.json(domains);
    const own = domains.find((d) => d.kind === 'heroku');
    out.section(`${name} Heroku Domain`);
    out.line(own?.hostname ?? '');
    const custom = domains.filter((d) => d.kind === 'custom');
    if (!custom.length) return;
    out.line();
    out.section(`${name} Custom Domains`);
    out.table(
      custom.map((d) => ({ 'domain name': d.hostname, 'dns target': d.cname })),
      ['domain name', 'dns target'],
    );
  },
});

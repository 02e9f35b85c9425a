import type { DomainInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'domains:add',
  summary: 'add a custom domain to an app',
  args: 'HOSTNAME',
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const hostname = args[0];
    if (!hostname) throw new CliError('Which domain?', 'Usage: cupaas domains:add www.example.com -a APP');
    const name = await app();
    const domain = await api.request<DomainInfo>('POST', `/apps/${encodeURIComponent(name)}/domains`, { body: { hostname } });
    if (flags.json) return out.json(domain);
    out.line(`Adding ${domain.hostname} to ${name}... done`);
    out.line(`Point ${domain.hostname} at ${domain.cname} (a CNAME record, or an A record to this machine's address).`);
  },
});

import { defineCommand } from '../command.js';
import { certRow, endpointNamed, type SniEndpointInfo } from './certs.js';
import { readPemFiles } from './certs-add.js';

export default defineCommand({
  name: 'certs:update',
  summary: 'replace an SSL certificate and key (e.g. a renewal) without downtime',
  args: 'CRT KEY',
  options: { name: { type: 'string', description: 'the certificate to replace (needed when the app has several)' } },
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const body = readPemFiles(args, 'Usage: cupaas certs:update server.crt server.key -a APP [--name NAME]');
    const name = await app();
    const endpoint = await endpointNamed(api, name, flags.name);
    const path = `/apps/${encodeURIComponent(name)}/sni-endpoints/${encodeURIComponent(endpoint)}`;
    const e = await api.request<SniEndpointInfo>('PATCH', path, { body });
    if (flags.json) return out.json(e);
    out.line(`Updating SSL certificate ${e.name} for ${name}... done`);
    out.table([certRow(e)], ['name', 'common name(s)', 'expires', 'trusted', 'type', 'domains']);
  },
});

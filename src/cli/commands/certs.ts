import type { ApiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

/** `GET /apps/{app}/sni-endpoints` items (Heroku's shape; the key is never returned). */
export interface SniEndpointInfo {
  id: string;
  name: string;
  domains: string[];
  ssl_cert: { cert_domains: string[]; expires_at: string; 'ca_signed?': boolean; 'self_signed?': boolean; subject: string; issuer: string };
}

/** The endpoint `--name` names, or the app's only one. */
export async function endpointNamed(api: ApiClient, app: string, name: unknown): Promise<string> {
  if (typeof name === 'string' && name) return name;
  const all = await api.list<SniEndpointInfo>(`/apps/${encodeURIComponent(app)}/sni-endpoints`);
  if (all.length === 1) return (all[0] as SniEndpointInfo).name;
  if (!all.length) throw new CliError(`${app} has no SSL certificates.`, 'Add one with: cupaas certs:add CRT KEY');
  throw new CliError(`${app} has several SSL certificates; say which with --name.`, `One of: ${all.map((e) => e.name).join(', ')}`);
}

export const certRow = (e: SniEndpointInfo) => ({
  name: e.name,
  'common name(s)': e.ssl_cert.cert_domains.join(', '),
  expires: e.ssl_cert.expires_at.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
  trusted: e.ssl_cert['ca_signed?'] ? 'True' : 'False',
  type: 'SNI',
  'domains': String(e.domains.length),
});

export default defineCommand({
  name: 'certs',
  aliases: ['certs:list'],
  summary: 'list an app\'s SSL certificates (SNI endpoints) and when they expire',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const all = await api.list<SniEndpointInfo>(`/apps/${encodeURIComponent(name)}/sni-endpoints`);
    if (flags.json) return out.json(all);
    if (!all.length) return out.line(`${name} has no SSL certificates.\nUse cupaas certs:add CRT KEY to add one.`);
    out.table(all.map(certRow), ['name', 'common name(s)', 'expires', 'trusted', 'type', 'domains']);
  },
});

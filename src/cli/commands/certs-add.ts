import { readFileSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { certRow, type SniEndpointInfo } from './certs.js';

/** The PEM text of CRT and KEY (files), for certs:add and certs:update. */
export function readPemFiles(args: readonly string[], usage: string): { certificate_chain: string; private_key: string } {
  const [crt, key] = args;
  if (!crt || !key) throw new CliError('Which certificate and key?', usage);
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      throw new CliError(`Cannot read the ${what} file ${path}: ${(e as Error).message}`);
    }
  };
  return { certificate_chain: read(crt, 'certificate'), private_key: read(key, 'private key') };
}

export default defineCommand({
  name: 'certs:add',
  summary: 'add an SSL certificate (PEM chain and key files) for an app\'s custom domains',
  args: 'CRT KEY',
  app: true,
  json: true,
  details: 'The router serves it by SNI on its HTTPS port (cupaas server --router-tls-port) for the app\'s custom domains it covers.',
  async run({ api, app, args, flags, out }) {
    const body = readPemFiles(args, 'Usage: cupaas certs:add server.crt server.key -a APP');
    const name = await app();
    const e = await api.request<SniEndpointInfo>('POST', `/apps/${encodeURIComponent(name)}/sni-endpoints`, { body });
    if (flags.json) return out.json(e);
    out.line(`Adding SSL certificate to ${name}... done`);
    out.table([certRow(e)], ['name', 'common name(s)', 'expires', 'trusted', 'type', 'domains']);
  },
});

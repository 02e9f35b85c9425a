import { defineCommand } from '../command.js';
import { endpointNamed, type SniEndpointInfo } from './certs.js';

export default defineCommand({
  name: 'certs:remove',
  summary: 'remove an SSL certificate; its domains fall back to the platform certificate',
  options: { name: { type: 'string', description: 'the certificate to remove (needed when the app has several)' } },
  app: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const endpoint = await endpointNamed(api, name, flags.name);
    const e = await api.request<SniEndpointInfo>('DELETE', `/apps/${encodeURIComponent(name)}/sni-endpoints/${encodeURIComponent(endpoint)}`);
    out.line(`Removing SSL certificate ${e.name} from ${name}... done`);
  },
});

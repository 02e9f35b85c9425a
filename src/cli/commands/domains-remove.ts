import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'domains:remove',
  summary: 'remove a custom domain from an app',
  args: 'HOSTNAME',
  app: true,
  async run({ api, app, args, out }) {
    const hostname = args[0];
    if (!hostname) throw new CliError('Which domain?', 'Usage: cupaas domains:remove www.example.com -a APP');
    const name = await app();
    await api.request('DELETE', `/apps/${encodeURIComponent(name)}/domains/${encodeURIComponent(hostname)}`);
    out.line(`Removing ${hostname} from ${name}... done`);
  },
});

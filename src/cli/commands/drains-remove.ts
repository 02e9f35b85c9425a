import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import type { LogDrainInfo } from './drains.js';

export default defineCommand({
  name: 'drains:remove',
  summary: 'stop sending an app\'s logs to a drain',
  args: 'URL|ID',
  app: true,
  async run({ api, app, args, out }) {
    const ref = args[0];
    if (!ref) throw new CliError('Which drain?', 'Usage: cupaas drains:remove URL|ID -a APP (see `cupaas drains`)');
    const name = await app();
    const path = `/apps/${encodeURIComponent(name)}/log-drains/${encodeURIComponent(ref)}`;
    const drain = await api.request<LogDrainInfo>('DELETE', path);
    out.line(`Successfully removed drain ${drain.url}`);
  },
});

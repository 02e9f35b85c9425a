import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import type { LogDrainInfo } from './drains.js';

export default defineCommand({
  name: 'drains:add',
  summary: 'send an app\'s logs to a syslog or HTTPS collector',
  args: 'URL',
  app: true,
  json: true,
  details: 'URLs: syslog://HOST:PORT, syslog+tls://HOST:PORT, https://[USER:PASSWORD@]HOST/PATH',
  async run({ api, app, args, flags, out }) {
    const url = args[0];
    if (!url) throw new CliError('Which URL?', 'Usage: cupaas drains:add syslog+tls://logs.example.com:6514 -a APP');
    const name = await app();
    const path = `/apps/${encodeURIComponent(name)}/log-drains`;
    const drain = await api.request<LogDrainInfo>('POST', path, { body: { url } });
    if (flags.json) return out.json(drain);
    out.line(`Successfully added drain ${drain.url}`);
    out.line(`Lines carry the drain token ${drain.token}.`);
  },
});

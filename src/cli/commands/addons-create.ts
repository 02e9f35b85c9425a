import type { AddonInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'addons:create',
  summary: 'create an add-on (postgres, redis, mysql, mongodb) and set its config var (creates a release)',
  args: 'SERVICE[:PLAN]',
  app: true,
  json: true,
  options: {
    as: { type: 'string', description: 'attachment name: the config var prefix (e.g. --as CACHE sets CACHE_URL)' },
    name: { type: 'string', description: 'name of the add-on (default: generated)' },
  },
  details: 'Examples:\n  $ cupaas addons:create postgres\n  $ cupaas addons:create redis --as CACHE',
  async run({ api, app, args, flags, out }) {
    const plan = args[0];
    if (!plan) throw new CliError('Which service?', 'Usage: cupaas addons:create SERVICE[:PLAN] -a APP (see `cupaas addons:services`)');
    const name = await app();
    const body = {
      plan,
      ...(flags.name ? { name: flags.name } : {}),
      ...(flags.as ? { attachment: { name: flags.as } } : {}),
    };
    const addon = await api.request<AddonInfo>('POST', `/apps/${encodeURIComponent(name)}/addons`, { body });
    if (flags.json) return out.json(addon);
    const release = addon.release ? `, v${addon.release.version}` : '';
    out.line(`Creating ${addon.plan.name} on ${name}... done${release}`);
    out.line(`Created ${addon.name} as ${addon.config_vars.join(', ')}`);
    out.line(`Use \`cupaas addons:info ${addon.name}\` to see its status, \`cupaas addons:connect ${addon.name}\` to open a client.`);
  },
});

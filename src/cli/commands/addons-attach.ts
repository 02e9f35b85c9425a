import type { AddonInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'addons:attach',
  summary: 'attach an outside service by URL as an add-on (sets NAME_URL, creates a release)',
  args: 'URL',
  app: true,
  json: true,
  options: {
    as: { type: 'string', description: 'attachment name: the config var prefix (required, e.g. MAILER)' },
    name: { type: 'string', description: 'name of the add-on (default: generated)' },
  },
  details: 'Example:\n  $ cupaas addons:attach smtp://user:pass@mail.example.com:587 --as MAILER',
  async run({ api, app, args, flags, out }) {
    const url = args[0];
    if (!url || !flags.as) throw new CliError('Give the URL and a name.', 'Usage: cupaas addons:attach URL --as NAME -a APP');
    const name = await app();
    const addon = await api.request<AddonInfo>('POST', `/apps/${encodeURIComponent(name)}/addons`, {
      body: { plan: 'external', attachment: { name: flags.as }, config: { url }, ...(flags.name ? { name: flags.name } : {}) },
    });
    if (flags.json) return out.json(addon);
    const release = addon.release ? `, v${addon.release.version}` : '';
    out.line(`Attaching ${url.replace(/\/\/[^@/]*@/, '//***@')} to ${name} as ${addon.config_vars.join(', ')}... done${release}`);
  },
});

import type { AddonInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { addonPath, requireAddon } from '../addon-args.js';

export default defineCommand({
  name: 'addons:info',
  summary: 'show an add-on\'s details and whether it is reachable',
  args: 'ADDON',
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const addon = await api.request<AddonInfo>('GET', addonPath(name, requireAddon(args, 'addons:info')));
    if (flags.json) return out.json(addon);
    out.section(addon.name);
    out.pairs([
      ['Plan', addon.plan.name],
      ['App', addon.app.name],
      ['Attachment', addon.attachment.name],
      ['Config Vars', addon.config_vars.join(', ')],
      ['State', addon.state],
      ['Status', addon.health ? (addon.health.ok ? addon.health.detail : `unreachable: ${addon.health.detail}`) : ''],
      ['Created At', addon.created_at],
    ]);
  },
});

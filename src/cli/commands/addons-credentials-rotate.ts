import type { AddonInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { addonPath, requireAddon } from '../addon-args.js';

export default defineCommand({
  name: 'addons:credentials:rotate',
  summary: 'give an add-on a new password; its config var changes and the app restarts (the old password stops working)',
  args: 'ADDON',
  app: true,
  async run({ api, app, args, out }) {
    const name = await app();
    const addon = requireAddon(args, 'addons:credentials:rotate');
    const r = await api.request<AddonInfo>('POST', addonPath(name, addon, '/credentials/rotate'));
    out.line(`Rotating credentials of ${r.name}... done${r.release ? `, v${r.release.version}` : ''} (${r.config_vars.join(', ')} updated)`);
  },
});

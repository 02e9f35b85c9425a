import type { AddonInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { addonPath, requireAddon, requireConfirm } from '../addon-args.js';

export default defineCommand({
  name: 'addons:destroy',
  aliases: ['addons:remove'],
  summary: 'destroy an add-on and its data, after a final backup (removes its config var, creates a release)',
  args: 'ADDON',
  app: true,
  options: {
    confirm: { type: 'string', description: 'the app name, to confirm' },
    'no-backup': { type: 'boolean', description: 'skip the final backup' },
  },
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const addon = requireAddon(args, 'addons:destroy');
    requireConfirm(flags.confirm, name, `This destroys ${addon} and all of its data.`, `cupaas addons:destroy ${addon} -a ${name}`);
    const query = flags['no-backup'] ? '?skip_backup=true' : '';
    const r = await api.request<AddonInfo>('DELETE', addonPath(name, addon, query));
    if (r.final_backup) out.line(`Final backup ${r.final_backup.name} kept at ${r.final_backup.path}`);
    out.line(`Destroying ${r.name} on ${name}... done${r.release ? `, v${r.release.version}` : ''}`);
  },
});

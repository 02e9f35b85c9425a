import type { AddonBackupInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { addonPath, requireAddon } from '../addon-args.js';

export default defineCommand({
  name: 'addons:backup',
  aliases: ['addons:backups:capture'],
  summary: 'take a backup of an add-on\'s data now (pg_dump, mysqldump, redis RDB)',
  args: 'ADDON',
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const addon = requireAddon(args, 'addons:backup');
    const b = await api.request<AddonBackupInfo>('POST', addonPath(name, addon, '/backups'));
    if (flags.json) return out.json(b);
    out.line(`Backing up ${addon}... done: ${b.name} (${b.size} bytes)`);
    out.line(`Restore it with \`cupaas addons:restore ${addon} ${b.name} --confirm ${name}\`.`);
  },
});

import type { AddonBackupInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { addonPath, requireAddon } from '../addon-args.js';

export default defineCommand({
  name: 'addons:backups',
  summary: 'list an add-on\'s backups',
  args: 'ADDON',
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const addon = requireAddon(args, 'addons:backups');
    const backups = await api.request<AddonBackupInfo[]>('GET', addonPath(name, addon, '/backups'));
    if (flags.json) return out.json(backups);
    if (!backups.length) return out.line(`${addon} has no backups. Take one with \`cupaas addons:backup ${addon}\`.`);
    out.table(backups.map((b) => ({ name: b.name, size: b.size, created: b.created_at })), ['name', 'size', 'created']);
  },
});

import { defineCommand } from '../command.js';
import { addonPath, requireAddon, requireConfirm } from '../addon-args.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'addons:restore',
  summary: 'replace an add-on\'s data with a backup',
  args: 'ADDON BACKUP',
  app: true,
  options: { confirm: { type: 'string', description: 'the app name, to confirm' } },
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const addon = requireAddon(args, 'addons:restore', ' BACKUP');
    const backup = args[1];
    if (!backup) throw new CliError('Which backup?', `\`cupaas addons:backups ${addon} -a ${name}\` lists them.`);
    requireConfirm(flags.confirm, name, `This replaces all data of ${addon} with backup ${backup}.`,
      `cupaas addons:restore ${addon} ${backup} -a ${name}`);
    await api.request('POST', addonPath(name, addon, `/backups/${encodeURIComponent(backup)}/restore`), { body: { confirm: name } });
    out.line(`Restoring ${backup} to ${addon}... done`);
  },
});

import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import type { AddonBackupInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { addonPath, requireAddon } from '../addon-args.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'addons:download',
  summary: 'download a backup of an add-on (the newest unless BACKUP is given)',
  args: 'ADDON [BACKUP]',
  app: true,
  options: { output: { type: 'string', short: 'o', description: 'file to write (default ADDON-BACKUP.<ext> here)' } },
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const addon = requireAddon(args, 'addons:download', ' [BACKUP]');
    let backup = args[1];
    if (!backup) {
      const all = await api.request<AddonBackupInfo[]>('GET', addonPath(name, addon, '/backups'));
      backup = all[all.length - 1]?.name;
      if (!backup) throw new CliError(`${addon} has no backups.`, `Take one with \`cupaas addons:backup ${addon} -a ${name}\`.`);
    }
    const res = await api.fetch(addonPath(name, addon, `/backups/${encodeURIComponent(backup)}/download`));
    const suggested = /filename="([^"/]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    const file = (flags.output as string | undefined) ?? basename(suggested ?? `${addon}-${backup}`);
    await pipeline(Readable.fromWeb(res.body as ReadableStream), createWriteStream(file, { mode: 0o600 }));
    out.line(`Downloaded ${backup} of ${addon} to ${file}`);
  },
});

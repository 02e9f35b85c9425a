import type { AppInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { addGitRemote } from '../git-remote.js';

export default defineCommand({
  name: 'apps:rename',
  aliases: ['rename'],
  summary: 'rename an app (its URL and git remote change with it)',
  args: 'NEWNAME',
  app: true,
  async run({ api, app, args, flags, out }) {
    const newName = args[0];
    if (!newName) throw new CliError('Missing the new name.', 'Usage: cupaas apps:rename NEWNAME -a APP');
    const oldName = await app();
    const info = await api.request<AppInfo>('PATCH', `/apps/${encodeURIComponent(oldName)}`, { body: { name: newName } });
    out.line(`Renaming ${oldName} to ${info.name}... done`);
    out.line(`${info.web_url} | ${info.git_url}`);
    const remote = (flags.remote as string | undefined) ?? 'cupaas';
    if (!flags.app && (await addGitRemote(remote, info.git_url))) out.line(`Git remote ${remote} updated`);
  },
});

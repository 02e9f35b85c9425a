import type { AppInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { addGitRemote } from '../git-remote.js';

export default defineCommand({
  name: 'apps:create',
  aliases: ['create'],
  summary: 'create a new app',
  args: '[NAME]',
  json: true,
  options: {
    remote: { type: 'string', short: 'r', description: 'name of the git remote to add (default cupaas)' },
    'no-remote': { type: 'boolean', description: 'do not add a git remote' },
    team: { type: 'string', short: 't', description: 'create the app in this team (its members get their team role on it)' },
  },
  async run({ api, args, flags, out }) {
    const path = flags.team ? `/teams/${encodeURIComponent(flags.team as string)}/apps` : '/apps';
    const app = await api.request<AppInfo>('POST', path, { body: args[0] ? { name: args[0] } : {} });
    if (flags.json) return out.json(app);
    out.line(`Creating ${app.name}... done`);
    out.line(`${app.web_url} | ${app.git_url}`);
    if (!flags['no-remote']) {
      const remote = (flags.remote as string | undefined) ?? 'cupaas';
      if (await addGitRemote(remote, app.git_url)) out.line(`Git remote ${remote} added`);
    }
  },
});

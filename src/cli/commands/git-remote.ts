import type { AppInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { addGitRemote } from '../git-remote.js';

export default defineCommand({
  name: 'git:remote',
  summary: 'add (or update) a git remote that deploys the app on push',
  options: {
    app: { type: 'string', short: 'a', description: 'the app' },
    remote: { type: 'string', short: 'r', description: 'remote name (default cupaas)' },
  },
  async run({ api, flags, out }) {
    const name = flags.app as string | undefined;
    if (!name) throw new CliError('No app specified.', 'Usage: cupaas git:remote -a APP');
    const info = await api.request<AppInfo>('GET', `/apps/${encodeURIComponent(name)}`);
    const remote = (flags.remote as string | undefined) ?? 'cupaas';
    if (!(await addGitRemote(remote, info.git_url))) {
      throw new CliError('Not inside a git repository.', 'Run `git init` first, or cd into your app.');
    }
    out.line(`set git remote ${remote} to ${info.git_url}`);
  },
});

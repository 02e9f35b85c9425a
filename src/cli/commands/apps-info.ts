import type { AppInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { repoConnection, repoPairs } from '../repo-connection.js';

export default defineCommand({
  name: 'apps:info',
  aliases: ['info'],
  summary: 'show an app\'s details',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const info = await api.request<AppInfo>('GET', `/apps/${encodeURIComponent(await app())}`);
    const repo = await repoConnection(api, info.name);
    if (flags.json) return out.json({ ...info, repo });
    out.section(info.name);
    out.pairs([
      ['Git URL', info.git_url],
      ['Web URL', info.web_url],
      ['Deploy Branch', info.deploy_branch],
      ['Owner', info.owner?.email],
      ['Region', info.region.name],
      ['Stack', info.stack.name],
      ['Maintenance', info.maintenance ? 'on' : 'off'],
      ['Released At', info.released_at],
      ['Created At', info.created_at],
      ...(repo ? repoPairs(repo) : []),
    ]);
  },
});

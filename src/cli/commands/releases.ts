import type { ReleaseInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'releases',
  aliases: ['releases:list'],
  summary: 'list an app\'s releases, newest first',
  app: true,
  json: true,
  options: { num: { type: 'string', short: 'n', description: 'how many releases to show (default 15)' } },
  async run({ api, app, flags, out }) {
    const name = await app();
    const max = Number(flags.num ?? 15);
    const releases = await api.request<ReleaseInfo[]>('GET', `/apps/${encodeURIComponent(name)}/releases`, {
      headers: { Range: `version ..; max=${max}, order=desc` },
    });
    if (flags.json) return out.json(releases);
    out.section(`${name} Releases - Current: v${releases.find((r) => r.current)?.version ?? '?'}`);
    out.table(
      releases.map((r) => ({
        version: `v${r.version}`,
        description: r.description,
        status: r.status === 'succeeded' ? '' : r.status,
        created: r.created_at,
      })),
      ['version', 'description', 'status', 'created'],
    );
  },
});

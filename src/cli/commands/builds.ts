import type { BuildInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'builds',
  aliases: ['builds:list'],
  summary: "list an app's builds, newest first",
  app: true,
  json: true,
  options: { num: { type: 'string', short: 'n', description: 'how many builds to show (default 15)' } },
  async run({ api, app, flags, out }) {
    const name = await app();
    const max = Number(flags.num ?? 15);
    const builds = await api.request<BuildInfo[]>('GET', `/apps/${encodeURIComponent(name)}/builds`, {
      headers: { Range: `created_at ..; max=${max}, order=desc` },
    });
    if (flags.json) return out.json(builds);
    out.section(`${name} Builds`);
    out.table(
      builds.map((b) => ({
        id: b.id,
        status: b.status,
        version: b.source_blob.version?.slice(0, 7) ?? '',
        trigger: b.trigger,
        created: b.created_at,
      })),
      ['id', 'status', 'version', 'trigger', 'created'],
    );
  },
});

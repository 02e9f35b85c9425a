import type { AppInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'apps',
  aliases: ['apps:list'],
  summary: 'list your apps',
  json: true,
  async run({ api, flags, out }) {
    const apps = await api.list<AppInfo>('/apps', 'name ..; max=1000');
    if (flags.json) return out.json(apps);
    out.section('Apps');
    if (!apps.length) out.line('You have no apps. Create one with `cupaas apps:create`.');
    for (const a of apps) out.line(a.name);
  },
});

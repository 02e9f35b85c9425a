import { defineCommand } from '../command.js';

/** `GET /apps/{app}/log-drains` items. */
export interface LogDrainInfo {
  id: string;
  url: string;
  token: string;
  created_at: string;
}

export default defineCommand({
  name: 'drains',
  aliases: ['drains:list'],
  summary: 'list an app\'s log drains',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const drains = await api.list<LogDrainInfo>(`/apps/${encodeURIComponent(name)}/log-drains`);
    if (flags.json) return out.json(drains);
    if (!drains.length) return out.line(`${name} has no log drains.`);
    out.section('Drains');
    for (const d of drains) out.line(`${d.url} (${d.token})`);
  },
});

import type { DynoInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

/** `~ 5m ago`, as Heroku's CLI shows a dyno's state age. */
function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `~ ${s}s ago`;
  if (s < 3600) return `~ ${Math.round(s / 60)}m ago`;
  return `~ ${Math.round(s / 3600)}h ago`;
}

export default defineCommand({
  name: 'ps',
  aliases: ['dynos'],
  summary: 'list an app\'s dynos by process type, with state, since when, size, isolation and node',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const dynos = await api.request<DynoInfo[]>('GET', `/apps/${encodeURIComponent(name)}/dynos`);
    if (flags.json) return out.json(dynos);
    if (!dynos.length) return out.line(`No dynos on ${name}.`);
    const types = [...new Set(dynos.map((d) => d.type))];
    types.forEach((type, i) => {
      const mine = dynos.filter((d) => d.type === type);
      const first = mine[0] as DynoInfo;
      if (i > 0) out.line();
      out.section(`${type} (${first.size}): ${first.command} (${mine.length})`);
      for (const d of mine) {
        out.line(`${d.name}: ${d.state} ${d.updated_at} (${ago(d.updated_at)})  v${d.release.version}  isolation: ${d.isolation}${d.node ? `  node: ${d.node}` : ''}${d.state_reason ? `  (${d.state_reason})` : ''}`);
      }
    });
  },
});

import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'config',
  aliases: ['config:list'],
  summary: 'show an app\'s config vars',
  app: true,
  json: true,
  options: { shell: { type: 'boolean', short: 's', description: 'output as KEY=value lines' } },
  async run({ api, app, flags, out }) {
    const name = await app();
    const vars = await api.request<Record<string, string>>('GET', `/apps/${encodeURIComponent(name)}/config-vars`);
    if (flags.json) return out.json(vars);
    const keys = Object.keys(vars).sort();
    if (flags.shell) {
      for (const k of keys) out.line(`${k}=${vars[k]}`);
      return;
    }
    out.section(`${name} Config Vars`);
    out.pairs(keys.map((k) => [k, vars[k]]));
  },
});

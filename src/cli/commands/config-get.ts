import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'config:get',
  summary: 'print the value of one config var',
  args: 'KEY',
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const key = args[0];
    if (!key) throw new CliError('Missing the config var name.', 'Usage: cupaas config:get KEY -a APP');
    const vars = await api.request<Record<string, string>>('GET', `/apps/${encodeURIComponent(await app())}/config-vars`);
    if (flags.json) return out.json({ key, value: vars[key] ?? null });
    out.line(vars[key] ?? '');
  },
});

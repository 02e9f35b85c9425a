import type { FormationInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'ps:type',
  aliases: ['ps:resize', 'resize'],
  summary: 'set the dyno size of process types (web=standard-2x); without arguments, show sizes',
  args: '[TYPE=SIZE]...',
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const path = `/apps/${encodeURIComponent(name)}/formation`;
    const updates = args.map((arg) => {
      const m = /^([\w-]+)=([\w-]+)$/.exec(arg);
      if (!m) throw new CliError(`"${arg}" is not TYPE=SIZE.`, 'Usage: cupaas ps:type web=standard-2x -a APP');
      return { type: m[1] as string, size: m[2] as string };
    });
    if (updates.length) await api.request<FormationInfo[]>('PATCH', path, { body: { updates } });
    const formation = await api.request<FormationInfo[]>('GET', path);
    if (flags.json) return out.json(formation);
    out.table(formation.map((f) => ({ type: f.type, size: f.size, qty: f.quantity })), ['type', 'size', 'qty']);
  },
});

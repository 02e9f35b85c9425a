import type { TeamInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'teams',
  aliases: ['teams:list'],
  summary: 'list the teams you belong to, with your role',
  json: true,
  async run({ api, flags, out }) {
    const teams = await api.request<TeamInfo[]>('GET', '/teams');
    if (flags.json) return out.json(teams);
    out.table(teams.map((t) => ({ team: t.name, role: t.role ?? '(platform admin)' })), ['team', 'role']);
  },
});

import type { TeamMemberInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { teamFlag, teamOption } from '../team-flag.js';

export default defineCommand({
  name: 'members',
  summary: 'list a team\'s members and their roles',
  json: true,
  options: teamOption,
  async run({ api, flags, out }) {
    const members = await api.request<TeamMemberInfo[]>('GET', `/teams/${encodeURIComponent(teamFlag(flags))}/members`);
    if (flags.json) return out.json(members);
    out.table(members.map((m) => ({ email: m.user.email, role: m.role })), ['email', 'role']);
  },
});

import type { TeamMemberInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { teamFlag, teamOption } from '../team-flag.js';

export default defineCommand({
  name: 'members:add',
  aliases: ['members:set'],
  summary: 'add a user to a team, or change their role (admin, member or viewer)',
  args: 'EMAIL',
  options: { ...teamOption, role: { type: 'string', description: 'admin, member or viewer (default member)' } },
  async run({ api, args, flags, out }) {
    if (!args[0]) throw new CliError('Whom?', 'Usage: cupaas members:add EMAIL --role member -t TEAM');
    const team = teamFlag(flags);
    const m = await api.request<TeamMemberInfo>('PUT', `/teams/${encodeURIComponent(team)}/members`, {
      body: { user: args[0], role: (flags.role as string | undefined) ?? 'member' },
    });
    out.line(`${m.user.email} is ${m.role} of ${team}`);
  },
});

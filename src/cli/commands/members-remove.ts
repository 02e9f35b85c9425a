import type { TeamMemberInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { teamFlag, teamOption } from '../team-flag.js';

export default defineCommand({
  name: 'members:remove',
  summary: 'remove a user from a team',
  args: 'EMAIL',
  options: teamOption,
  async run({ api, args, flags, out }) {
    if (!args[0]) throw new CliError('Whom?', 'Usage: cupaas members:remove EMAIL -t TEAM');
    const team = teamFlag(flags);
    const m = await api.request<TeamMemberInfo>('DELETE', `/teams/${encodeURIComponent(team)}/members/${encodeURIComponent(args[0])}`);
    out.line(`Removed ${m.user.email} from ${team}`);
  },
});

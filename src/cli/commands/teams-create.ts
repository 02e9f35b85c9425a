import type { TeamInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'teams:create',
  summary: 'create a team; you become its admin',
  args: 'NAME',
  async run({ api, args, out }) {
    if (!args[0]) throw new CliError('Which name?', 'Usage: cupaas teams:create NAME');
    const team = await api.request<TeamInfo>('POST', '/teams', { body: { name: args[0] } });
    out.line(`Created team ${team.name}. Add people with \`cupaas members:add EMAIL --role member -t ${team.name}\`.`);
  },
});

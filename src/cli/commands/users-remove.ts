import type { UserInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'users:remove',
  summary: 'delete a user and their tokens (platform admins only)',
  args: 'EMAIL',
  async run({ api, args, out }) {
    const email = args[0];
    if (!email) throw new CliError('Whose account?', 'Usage: cupaas users:remove EMAIL');
    const user = await api.request<UserInfo>('DELETE', `/users/${encodeURIComponent(email)}`);
    out.line(`Removed ${user.email}`);
  },
});

import type { UserInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { readSecret } from '../secret-input.js';

export default defineCommand({
  name: 'users:add',
  summary: 'create a user; prints a one-time invitation code that sets their password',
  args: 'EMAIL',
  json: true,
  options: {
    role: { type: 'string', description: 'admin (runs the platform) or member (default: sees only apps shared with them)' },
    'password-stdin': { type: 'boolean', description: 'set the password from the first line of stdin instead of inviting' },
  },
  details: 'The new user runs `cupaas users:passwd --code CODE` to choose a password, then `cupaas login`.',
  async run({ api, args, flags, out }) {
    const email = args[0];
    if (!email) throw new CliError('Whose account?', 'Usage: cupaas users:add EMAIL [--role admin] [--password-stdin]');
    const password = flags['password-stdin'] ? await readSecret('', true) : undefined;
    const user = await api.request<UserInfo>('POST', '/users', { body: { email, role: flags.role, password } });
    if (flags.json) return out.json(user);
    out.line(`Created ${user.email} (${user.role})`);
    if (user.invitation_code) {
      out.line(`Invitation code (valid 7 days, shown once): ${user.invitation_code}`);
      out.line(`They set a password with: cupaas users:passwd --code ${user.invitation_code}`);
    }
  },
});

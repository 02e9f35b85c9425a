import type { UserInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { readSecret } from '../secret-input.js';

export default defineCommand({
  name: 'users:passwd',
  summary: 'set your password, redeem an invitation code, or (admins) set or reset another user\'s',
  args: '[EMAIL]',
  options: {
    code: { type: 'string', description: 'an invitation or reset code from `users:add` / `users:passwd EMAIL --reset`' },
    reset: { type: 'boolean', description: 'with EMAIL: revoke the user\'s tokens and print a new one-time code' },
    'password-stdin': {
      type: 'boolean',
      description: 'read the new password from stdin\'s first line (your current one, if you have one, from the second)',
    },
  },
  details: 'On the server\'s machine the first admin sets a password with `cupaas users:passwd` (the local admin key signs the request).',
  async run({ api, args, flags, out }) {
    const fromStdin = flags['password-stdin'] === true;
    const email = args[0];
    if (email && flags.reset) {
      const user = await api.request<UserInfo>('PATCH', `/users/${encodeURIComponent(email)}`, { body: { reset_password: true } });
      out.line(`Reset ${user.email}: every token revoked. One-time code: ${user.invitation_code}`);
      return;
    }
    const password = await readSecret('New password: ', fromStdin, 0);
    if (flags.code) {
      const code = encodeURIComponent(flags.code as string);
      const user = await api.request<UserInfo>('PATCH', `/invitations/${code}`, { body: { password }, headers: { Authorization: '' } });
      out.line(`Password set for ${user.email}. Run \`cupaas login\`.`);
    } else if (email) {
      const user = await api.request<UserInfo>('PATCH', `/users/${encodeURIComponent(email)}`, { body: { password } });
      out.line(`Password set for ${user.email}; their tokens were revoked.`);
    } else {
      const current = await readSecret('Current password (empty if you have none): ', fromStdin, 1);
      const user = await api.request<UserInfo>('PATCH', '/account', { body: { password, current_password: current || undefined } });
      out.line(`Password set for ${user.email}.`);
    }
  },
});

import type { UserInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'users',
  aliases: ['users:list'],
  summary: 'list the platform\'s users (platform admins only)',
  json: true,
  async run({ api, flags, out }) {
    const users = await api.request<UserInfo[]>('GET', '/users');
    if (flags.json) return out.json(users);
    out.table(
      users.map((u) => ({ email: u.email, role: u.role, password: u.password_set ? 'set' : 'not set (invited)' })),
      ['email', 'role', 'password'],
    );
  },
});

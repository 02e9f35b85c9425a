import type { AccountInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'auth:whoami',
  aliases: ['whoami'],
  summary: 'show the account of the API key in use',
  json: true,
  async run({ api, flags, out }) {
    const account = await api.request<AccountInfo>('GET', '/account');
    if (flags.json) out.json(account);
    else out.line(account.email);
  },
});

import type { AuthorizationInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'authorizations',
  aliases: ['authorizations:list'],
  summary: 'list your API tokens (never their secrets, which are shown once)',
  json: true,
  async run({ api, flags, out }) {
    const list = await api.request<AuthorizationInfo[]>('GET', '/oauth/authorizations');
    if (flags.json) return out.json(list);
    out.table(
      list.map((a) => ({
        id: a.id, description: a.description, created: a.created_at,
        expires: a.access_token.expires_in === null ? 'never' : `in ${a.access_token.expires_in}s`,
      })),
      ['id', 'description', 'created', 'expires'],
    );
  },
});

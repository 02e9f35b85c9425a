import type { AuthorizationInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'authorizations:revoke',
  aliases: ['authorizations:destroy'],
  summary: 'revoke an API token: it stops working at once (API, git, log streams)',
  args: 'ID',
  async run({ api, args, out }) {
    const id = args[0];
    if (!id) throw new CliError('Which token?', 'Usage: cupaas authorizations:revoke ID (`cupaas authorizations` lists them)');
    const a = await api.request<AuthorizationInfo>('DELETE', `/oauth/authorizations/${encodeURIComponent(id)}`);
    out.line(`Revoked ${a.id} (${a.description})`);
  },
});

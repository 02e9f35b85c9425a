import type { AuthorizationInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'authorizations:create',
  summary: 'create an API token (for CI or scripts); the token is printed once',
  json: true,
  options: {
    description: { type: 'string', short: 'd', description: 'what the token is for' },
    'expires-in': { type: 'string', short: 'e', description: 'seconds until it stops working (default: never)' },
  },
  async run({ api, flags, out }) {
    const raw = flags['expires-in'] as string | undefined;
    const expiresIn = raw === undefined ? undefined : Number(raw);
    if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && expiresIn > 0)) {
      throw new CliError(`--expires-in must be a whole number of seconds, not "${raw}".`);
    }
    const a = await api.request<AuthorizationInfo>('POST', '/oauth/authorizations', {
      body: { description: flags.description ?? 'created by cupaas authorizations:create', expires_in: expiresIn },
    });
    if (flags.json) return out.json(a);
    out.pairs([
      ['ID', a.id],
      ['Description', a.description],
      ['Token', a.access_token.token],
      ['Expires', a.access_token.expires_in === null ? 'never' : `in ${a.access_token.expires_in}s`],
    ]);
  },
});

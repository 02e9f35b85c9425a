import { hostname } from 'node:os';
import type { AccountInfo, AuthorizationInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { apiHost, resolveApiKey } from '../credentials.js';
import { CliError } from '../errors.js';
import { writeNetrcEntry } from '../netrc.js';
import { ask, readSecret } from '../secret-input.js';

const basic = (email: string, password: string) => `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

export default defineCommand({
  name: 'login',
  summary: 'sign in with email and password (or store an API key) in ~/.netrc, where the CLI and git find it',
  options: {
    email: { type: 'string', short: 'e', description: 'your email (else asked)' },
    'password-stdin': { type: 'boolean', description: 'read the password from the first line of stdin' },
    'api-key': { type: 'string', description: 'store this API token instead of signing in' },
  },
  details: [
    'Signing in creates an API token as Heroku\'s classic login does (POST /oauth/authorizations with your',
    'email and password); `cupaas authorizations` lists it. Without a terminal and without --email, the',
    'admin key from CUPAAS_HOME is used on the machine that runs the server.',
  ].join('\n'),
  async run({ flags, api, config, out }) {
    let key = flags['api-key'] as string | undefined;
    let email = flags.email as string | undefined;
    if (!key && !email && !process.stdin.isTTY) key = resolveApiKey({ ...config, apiKey: null })?.key;
    if (!key) {
      email ??= await ask('Email: ');
      if (!email) throw new CliError('No email given.', 'Pass --email EMAIL, or --api-key KEY to store a token.');
      const password = await readSecret('Password: ', flags['password-stdin'] === true);
      const auth = await api.request<AuthorizationInfo>('POST', '/oauth/authorizations', {
        body: { description: `cupaas CLI login on ${hostname()}` },
        headers: { Authorization: basic(email, password) },
      });
      key = auth.access_token.token ?? undefined;
      if (!key) throw new CliError('The server created no token.', 'Upgrade the cupaas server.');
    }
    const account = await api.request<AccountInfo>('GET', '/account', { key });
    writeNetrcEntry(config.netrcPath, { machine: apiHost(config.apiUrl), login: account.email, password: key });
    out.line(`Logged in as ${account.email}`);
  },
});

import { createInterface } from 'node:readline/promises';
import type { AccountInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { apiHost, resolveApiKey } from '../credentials.js';
import { CliError } from '../errors.js';
import { writeNetrcEntry } from '../netrc.js';

async function readKey(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  try {
    return (await rl.question('API key: ')).trim();
  } finally {
    rl.close();
  }
}

export default defineCommand({
  name: 'login',
  summary: 'store an API key in ~/.netrc, where the CLI and git find it',
  options: {
    'api-key': { type: 'string', description: 'the key to store (else read from stdin, or the local admin key)' },
  },
  details: 'On the machine that runs the server, the admin key from CUPAAS_HOME is used when no key is given.',
  async run({ flags, api, config, out }) {
    let key = flags['api-key'] as string | undefined;
    if (!key && !process.stdin.isTTY) key = resolveApiKey({ ...config, apiKey: null })?.key;
    if (!key) key = await readKey();
    if (!key) throw new CliError('No API key given.', 'Pass --api-key KEY, or paste the key when asked.');
    const account = await api.request<AccountInfo>('GET', '/account', { key });
    writeNetrcEntry(config.netrcPath, { machine: apiHost(config.apiUrl), login: account.email, password: key });
    out.line(`Logged in as ${account.email}`);
  },
});

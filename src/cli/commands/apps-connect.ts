import type { RepoConnectResult } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { describePoll } from '../repo-connection.js';

const USAGE = 'Usage: cupaas apps:connect REPO_URL [--branch main] [--poll 60s|off] [--token-stdin | --ssh-key] -a APP';

/** `60`, `60s`, `5m`, `1h` or `off` to seconds. */
function pollSeconds(value: string): number {
  if (value === 'off' || value === '0') return 0;
  const m = /^(\d+)([smh]?)$/.exec(value);
  if (!m) throw new CliError(`"${value}" is not a poll interval.`, 'Use e.g. --poll 30s, --poll 5m, or --poll off.');
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2] as string]!;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function credentialFrom(flags: Readonly<Record<string, unknown>>) {
  if (flags['ssh-key'] && (flags.token || flags['token-stdin'])) {
    throw new CliError('Use either a token or a deploy key, not both.', USAGE);
  }
  if (flags['ssh-key']) return { type: 'ssh-key', generate: true } as const;
  const token = flags['token-stdin'] ? await readStdin() : (flags.token as string | undefined);
  if (token === undefined) return undefined;
  if (!token) throw new CliError('The token is empty.', USAGE);
  return { type: 'token', token, username: flags.username as string | undefined } as const;
}

export default defineCommand({
  name: 'apps:connect',
  summary: 'deploy every new commit of a git repository branch (by webhook or polling)',
  args: 'REPO_URL',
  app: true,
  json: true,
  options: {
    branch: { type: 'string', short: 'b', description: 'branch to deploy (default: the app\'s deploy branch)' },
    poll: { type: 'string', description: 'how often to poll: 30s, 5m, 1h, or off for webhooks only (default 60s)' },
    'token-stdin': { type: 'boolean', description: 'read an HTTPS access token for a private repository from stdin' },
    token: { type: 'string', description: 'HTTPS access token (visible to other local users; prefer --token-stdin)' },
    username: { type: 'string', description: 'user name sent with the token (default x-access-token)' },
    'ssh-key': { type: 'boolean', description: 'generate an SSH deploy key for an ssh:// or git@host:path URL' },
  },
  details: [
    'Connecting deploys the branch head at once; later commits deploy when the git host calls the',
    'webhook URL (with the secret shown once here) or when polling sees them.',
    '',
    'Examples:',
    '  cupaas apps:connect https://github.com/acme/web.git --branch main -a web',
    '  echo "$TOKEN" | cupaas apps:connect https://gitlab.com/acme/private.git --token-stdin -a web',
    '  cupaas apps:connect git@github.com:acme/private.git --ssh-key --poll off -a web',
  ].join('\n'),
  async run({ api, app, args, flags, out }) {
    const [url] = args;
    if (!url || args.length > 1) throw new CliError('Give one repository URL.', USAGE);
    const name = await app();
    const body = {
      url,
      branch: flags.branch as string | undefined,
      poll_interval: flags.poll === undefined ? undefined : pollSeconds(flags.poll as string),
      credential: await credentialFrom(flags),
    };
    const r = await api.request<RepoConnectResult>('PUT', `/apps/${encodeURIComponent(name)}/repo`, { body });
    if (flags.json) return out.json(r);
    out.line(`Connected ${name} to ${r.url} (branch ${r.branch}, polling ${describePoll(r.poll_interval)})`);
    if ('error' in r.deploy) out.warn(`Could not fetch the branch yet: ${r.deploy.error}`);
    else if (r.deploy.status !== 'duplicate') out.line(`Deploying ${r.deploy.sha.slice(0, 7)}; follow it with \`cupaas builds -a ${name}\``);
    out.line();
    out.pairs([
      ['Webhook URL', r.webhook_url],
      ['Webhook secret', r.webhook_secret],
    ]);
    out.line('Set the secret in the git host\'s webhook settings (push events, content type JSON).');
    out.line('It is shown only now; reconnecting keeps it.');
    if (r.credential?.public_key) {
      out.line();
      out.line('Add this deploy key (read-only) to the repository, then run `cupaas deploys:trigger`:');
      out.line(r.credential.public_key);
    }
  },
});

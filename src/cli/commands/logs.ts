import { splitLines } from '../../shared/lines.js';
import type { LogSessionInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'logs',
  summary: 'show an app\'s recent log lines, or follow them live with --tail',
  app: true,
  options: {
    num: { type: 'string', short: 'n', description: 'number of lines to show (default 100, at most 1500)' },
    tail: { type: 'boolean', short: 't', description: 'keep streaming new lines until interrupted' },
    dyno: { type: 'string', short: 'd', description: 'only a process type or dyno, e.g. web or web.1' },
    source: { type: 'string', short: 's', description: 'only app, heroku, or a platform process (router, api)' },
  },
  details: 'Examples:\n  cupaas logs --tail\n  cupaas logs -n 500 -d web.1\n  cupaas logs -s router',
  async run({ api, app, flags, out }) {
    const lines = flags.num === undefined ? 100 : Number(flags.num);
    if (!Number.isInteger(lines) || lines < 0 || lines > 1500) throw new CliError(`-n must be 0 to 1500, got "${flags.num}".`);
    const name = await app();
    const session = await api.request<LogSessionInfo>('POST', `/apps/${encodeURIComponent(name)}/log-sessions`, {
      body: { lines, tail: flags.tail === true, dyno: flags.dyno, source: flags.source },
    });
    const res = await api.fetch(session.logplex_url, { headers: { Accept: 'text/plain' } });
    if (!res.body) return;
    const split = splitLines((line) => out.line(line));
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) split.write(chunk);
    split.end();
  },
});

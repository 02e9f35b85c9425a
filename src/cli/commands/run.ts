import { attachToDyno, EXIT_STATUS_REQUEST } from '../attach.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

interface DynoInfo {
  name: string;
  attach_url: string | null;
}

/** `K=V;K2=V2` (Heroku's --env) and repeated `--env K=V`, into config vars for the dyno. */
function envFrom(values: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of values.flatMap((v) => v.split(';')).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`"${pair}" is not KEY=VALUE.`, 'Usage: cupaas run --env KEY=VALUE -- CMD');
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

export default defineCommand({
  name: 'run',
  summary: 'run a command in a one-off dyno (interactive unless --detached)',
  args: '-- COMMAND...',
  app: true,
  options: {
    detached: { type: 'boolean', short: 'd', description: 'run in the background; output goes to the logs' },
    size: { type: 'string', short: 's', description: 'dyno size, e.g. standard-2x' },
    env: { type: 'string', short: 'e', multiple: true, description: 'config vars for this dyno only, KEY=VALUE (repeatable)' },
    'no-tty': { type: 'boolean', description: 'no terminal, even when this one is' },
  },
  details: 'Examples:\n  cupaas run -a APP -- bash\n  cupaas run -a APP -- python3 manage.py migrate\n  cupaas run --detached -a APP -- python3 task.py',
  async run({ api, app, args, flags, out, config }) {
    if (!args.length) throw new CliError('Which command?', 'Usage: cupaas run -a APP -- bash');
    const name = await app();
    const command = args.join(' ');
    const env = envFrom((flags.env as string[] | undefined) ?? []);
    const detached = flags.detached === true;
    const tty = !detached && !flags['no-tty'] && process.stdin.isTTY === true && process.stdout.isTTY === true;
    if (tty) Object.assign(env, { TERM: process.env.TERM ?? 'xterm', COLUMNS: String(process.stdout.columns), LINES: String(process.stdout.rows) });
    const dyno = await api.request<DynoInfo>('POST', `/apps/${encodeURIComponent(name)}/dynos`, {
      body: {
        command: detached ? command : command + EXIT_STATUS_REQUEST, attach: !detached, env,
        ...(flags.size ? { size: flags.size } : {}), force_no_tty: !tty,
      },
    });
    if (detached || !dyno.attach_url) {
      out.line(`Running ${command} on ${name}... up, ${dyno.name}`);
      out.line(`Run \`cupaas logs -a ${name} --dyno ${dyno.name}\` to see its output.`);
      return;
    }
    const status = await attachToDyno({ attachUrl: dyno.attach_url, caPath: config.caPath, stdin: process.stdin, stdout: process.stdout });
    if (status !== 0) throw new CliError(`Process exited with status ${status}`, undefined, status);
  },
});

import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { latestRelease } from '../latest-release.js';

export default defineCommand({
  name: 'config:set',
  aliases: ['config:add'],
  summary: 'set one or more config vars (creates a release and restarts the app)',
  args: 'KEY=VALUE...',
  app: true,
  async run({ api, app, args, out }) {
    if (!args.length) throw new CliError('Nothing to set.', 'Usage: cupaas config:set KEY=VALUE ... -a APP');
    const changes: Record<string, string> = {};
    for (const arg of args) {
      const eq = arg.indexOf('=');
      if (eq <= 0) throw new CliError(`"${arg}" is not KEY=VALUE.`, 'Usage: cupaas config:set KEY=VALUE ... -a APP');
      changes[arg.slice(0, eq)] = arg.slice(eq + 1);
    }
    const name = await app();
    await api.request('PATCH', `/apps/${encodeURIComponent(name)}/config-vars`, { body: changes });
    const release = await latestRelease(api, name);
    out.line(`Setting ${Object.keys(changes).join(', ')} and restarting ${name}... done, v${release.version}`);
  },
});

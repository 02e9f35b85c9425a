import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';
import { latestRelease } from '../latest-release.js';

export default defineCommand({
  name: 'config:unset',
  aliases: ['config:remove'],
  summary: 'unset one or more config vars (creates a release and restarts the app)',
  args: 'KEY...',
  app: true,
  async run({ api, app, args, out }) {
    if (!args.length) throw new CliError('Nothing to unset.', 'Usage: cupaas config:unset KEY ... -a APP');
    const name = await app();
    const changes = Object.fromEntries(args.map((k) => [k, null]));
    await api.request('PATCH', `/apps/${encodeURIComponent(name)}/config-vars`, { body: changes });
    const release = await latestRelease(api, name);
    out.line(`Unsetting ${args.join(', ')} and restarting ${name}... done, v${release.version}`);
  },
});

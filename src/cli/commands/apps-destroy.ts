import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'apps:destroy',
  aliases: ['destroy'],
  summary: 'permanently destroy an app, its releases, dynos and add-ons',
  args: '[APP]',
  app: true,
  options: { confirm: { type: 'string', description: 'the app name, to confirm' } },
  async run({ api, app, args, flags, out }) {
    const name = args[0] ?? (await app());
    if (flags.confirm !== name) {
      throw new CliError(
        `This destroys ${name} and everything in it, and cannot be undone.`,
        `To proceed, run: cupaas apps:destroy ${name} --confirm ${name}`,
      );
    }
    await api.request('DELETE', `/apps/${encodeURIComponent(name)}`);
    out.line(`Destroying ${name}... done`);
  },
});

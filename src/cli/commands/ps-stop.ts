import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'ps:stop',
  aliases: ['stop'],
  summary: 'stop a dyno (web.1) or every dyno of a type; the formation starts replacements',
  args: 'TYPE|DYNO',
  app: true,
  async run({ api, app, args, out }) {
    const target = args[0];
    if (!target) throw new CliError('Name a dyno or process type to stop.', 'Usage: cupaas ps:stop web.1 -a APP');
    const name = await app();
    const base = `/apps/${encodeURIComponent(name)}`;
    const path = target.includes('.')
      ? `${base}/dynos/${encodeURIComponent(target)}/actions/stop`
      : `${base}/formations/${encodeURIComponent(target)}/actions/stop`;
    await api.request('POST', path);
    out.line(`Stopping ${target} dyno${target.includes('.') ? '' : 's'} on ${name}... done`);
  },
});

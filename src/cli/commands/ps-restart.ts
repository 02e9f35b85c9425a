import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'ps:restart',
  aliases: ['restart'],
  summary: 'restart all dynos, one process type (web) or one dyno (web.1)',
  args: '[TYPE|DYNO]',
  app: true,
  async run({ api, app, args, out }) {
    const name = await app();
    const target = args[0];
    const base = `/apps/${encodeURIComponent(name)}`;
    const path = !target
      ? `${base}/dynos`
      : target.includes('.')
        ? `${base}/dynos/${encodeURIComponent(target)}`
        : `${base}/formations/${encodeURIComponent(target)}`;
    await api.request('DELETE', path);
    out.line(`Restarting ${target ?? 'all'} dynos on ${name}... done`);
  },
});

import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'deploys:trigger',
  summary: 'deploy the connected branch\'s head now (rebuilds it even if already deployed)',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = await app();
    const r = await api.request<{ sha: string; status: 'started' | 'queued' | 'duplicate' }>(
      'POST',
      `/apps/${encodeURIComponent(name)}/repo/deploys`,
    );
    if (flags.json) return out.json(r);
    const what = { started: 'Deploying', queued: 'Queued (after the running build)', duplicate: 'Already building or queued:' }[r.status];
    out.line(`${what} ${r.sha.slice(0, 7)}; follow it with \`cupaas builds -a ${name}\``);
  },
});

import type { RepoConnectionInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'apps:disconnect',
  summary: 'stop deploying from a connected repository (the running release stays)',
  app: true,
  async run({ api, app, out }) {
    const name = await app();
    const r = await api.request<RepoConnectionInfo>('DELETE', `/apps/${encodeURIComponent(name)}/repo`);
    out.line(`Disconnected ${name} from ${r.url}; its webhook now answers 404.`);
  },
});

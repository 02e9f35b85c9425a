import type { CollaboratorInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'access:add',
  summary: 'add a collaborator to an app (role viewer, member or admin; default member)',
  args: 'EMAIL',
  app: true,
  options: { role: { type: 'string', description: 'viewer (reads), member (deploys, config), admin (access, destroy)' } },
  async run({ api, app, args, flags, out }) {
    const email = args[0];
    if (!email) throw new CliError('Whom?', 'Usage: cupaas access:add EMAIL [--role viewer|member|admin] -a APP');
    const name = await app();
    const c = await api.request<CollaboratorInfo>('POST', `/apps/${encodeURIComponent(name)}/collaborators`, {
      body: { user: email, role: flags.role },
    });
    out.line(`Adding ${c.user.email} to ${name} as ${c.role}... done`);
  },
});

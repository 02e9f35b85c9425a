import type { CollaboratorInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'access:remove',
  summary: 'remove a collaborator from an app',
  args: 'EMAIL',
  app: true,
  async run({ api, app, args, out }) {
    const email = args[0];
    if (!email) throw new CliError('Whom?', 'Usage: cupaas access:remove EMAIL -a APP');
    const name = await app();
    const c = await api.request<CollaboratorInfo>('DELETE', `/apps/${encodeURIComponent(name)}/collaborators/${encodeURIComponent(email)}`);
    out.line(`Removing ${c.user.email} from ${name}... done`);
  },
});

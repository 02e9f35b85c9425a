import type { AppInfo, CollaboratorInfo, TeamMemberInfo } from '../api-types.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'access',
  aliases: ['access:list'],
  summary: 'list who may use an app: its owner, its team\'s members and its collaborators, with their roles',
  app: true,
  json: true,
  async run({ api, app, flags, out }) {
    const name = encodeURIComponent(await app());
    const info = await api.request<AppInfo>('GET', `/apps/${name}`);
    const collaborators = await api.request<CollaboratorInfo[]>('GET', `/apps/${name}/collaborators`);
    // A collaborator outside the team may not read the team's member list; the app's own grants still show.
    const members = info.team
      ? await api.request<TeamMemberInfo[]>('GET', `/teams/${encodeURIComponent(info.team.name)}/members`).catch(() => [])
      : [];
    const rows = [
      ...(info.owner ? [{ email: info.owner.email, role: 'owner (admin)', via: info.team ? 'created the app' : 'owner' }] : []),
      ...members.map((m) => ({ email: m.user.email, role: m.role, via: `team ${info.team?.name}` })),
      ...collaborators.map((c) => ({ email: c.user.email, role: c.role, via: 'collaborator' })),
    ];
    if (flags.json) return out.json(rows);
    out.table(rows, ['email', 'role', 'via']);
  },
});

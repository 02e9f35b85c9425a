import * as z from 'zod';
import { APP_NAME, APP_NAME_RULE, APP_ROLES, type Team, type TeamMember } from '../../domain/index.js';
import { conflict, invalid, notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appShow } from './apps.js';

const CreateTeam = z.lazy(() => z.strictObject({ name: z.string().regex(APP_NAME, APP_NAME_RULE) }));
const PutMember = z.lazy(() => z.strictObject({ user: z.string().min(1).max(254), role: z.enum(APP_ROLES) }));
const CreateTeamApp = z.lazy(() => z.strictObject({ name: z.string().optional(), region: z.string().optional(), stack: z.string().optional() }));

const teamJson = (t: Team, role: string | null) => ({ id: t.id, name: t.name, role, created_at: t.createdAt, updated_at: t.updatedAt });
const memberJson = (m: TeamMember) => ({
  role: m.role, user: { id: m.userId, email: m.email }, created_at: m.createdAt, updated_at: m.updatedAt,
});

/**
 * Teams in Heroku's shape: `/teams`, `/teams/{team}/members` with roles
 * admin, member and viewer, and `/teams/{team}/apps`. A team's members have
 * their team role on every app the team owns.
 */
export function teamRoutes(ctx: Pick<ApiContext, 'store' | 'access' | 'apps' | 'releases' | 'config'>): Route[] {
  const show = appShow(ctx);
  const team = (req: { target: { team?: Team } }) => req.target.team as Team;
  const admins = (teamId: string) => ctx.store.teams.members(teamId).filter((m) => m.role === 'admin');
  return [
    {
      method: 'GET',
      path: '/teams',
      access: 'user',
      handler: async (req) => ({
        body: ctx.store.teams.list().filter((t) => ctx.access.seesTeam(req.user, t)).map((t) => teamJson(t, ctx.store.teams.roleOf(t.id, req.user.id))),
      }),
    },
    {
      method: 'POST',
      path: '/teams',
      access: 'user',
      handler: async (req) => {
        const body = await req.body(CreateTeam);
        if (ctx.store.teams.find(body.name)) throw conflict(`Name ${body.name} is already taken.`);
        const created = ctx.store.transaction(() => {
          const t = ctx.store.teams.insert(body.name);
          ctx.store.teams.putMember(t.id, req.user.id, 'admin');
          return t;
        });
        req.audit.detail = `team ${created.name}`;
        return { status: 201, body: teamJson(created, 'admin') };
      },
    },
    { method: 'GET', path: '/teams/:team', access: 'team:read', handler: async (req) => ({ body: teamJson(team(req), ctx.store.teams.roleOf(team(req).id, req.user.id)) }) },
    {
      method: 'DELETE',
      path: '/teams/:team',
      access: 'team:destroy',
      handler: async (req) => {
        const t = team(req);
        const apps = ctx.store.apps.list().filter((a) => a.teamId === t.id);
        if (apps.length) throw invalid(`The team still owns ${apps.map((a) => a.name).join(', ')}; destroy them first.`);
        ctx.store.teams.delete(t.id);
        req.audit.detail = `team ${t.name}`;
        return { body: teamJson(t, null) };
      },
    },
    { method: 'GET', path: '/teams/:team/members', access: 'team:read', handler: async (req) => ({ body: ctx.store.teams.members(team(req).id).map(memberJson) }) },
    {
      // Heroku's PUT creates the membership or changes its role.
      method: 'PUT',
      path: '/teams/:team/members',
      access: 'team:manage',
      handler: async (req) => {
        const t = team(req);
        const body = await req.body(PutMember);
        const user = ctx.store.users.find(body.user);
        if (!user) throw notFound('user', body.user);
        const last = admins(t.id);
        if (body.role !== 'admin' && last.length === 1 && last[0]!.userId === user.id) {
          throw invalid('This is the team\'s last admin; make another member an admin first.');
        }
        req.audit.detail = `team ${t.name}: ${user.email} as ${body.role}`;
        return { body: memberJson(ctx.store.teams.putMember(t.id, user.id, body.role)) };
      },
    },
    {
      method: 'DELETE',
      path: '/teams/:team/members/:member',
      access: 'team:manage',
      handler: async (req) => {
        const t = team(req);
        const key = req.params.member as string;
        const member = ctx.store.teams.members(t.id).find((m) => m.email === key.toLowerCase() || m.userId === key);
        if (!member) throw notFound('team member', key);
        const last = admins(t.id);
        if (last.length === 1 && last[0]!.userId === member.userId) throw invalid('The team\'s last admin cannot leave it.');
        ctx.store.teams.removeMember(t.id, member.userId);
        req.audit.detail = `team ${t.name}: removed ${member.email}`;
        return { body: memberJson(member) };
      },
    },
    {
      method: 'GET',
      path: '/teams/:team/apps',
      access: 'team:read',
      handler: async (req) => ({ body: ctx.store.apps.list().filter((a) => a.teamId === team(req).id).map(show) }),
    },
    {
      method: 'POST',
      path: '/teams/:team/apps',
      access: 'team:deploy',
      handler: async (req) => {
        const body = await req.body(CreateTeamApp);
        const app = ctx.apps.create(body.name, req.user.id, team(req).id);
        req.audit.app = app;
        return { status: 201, body: show(app) };
      },
    },
  ];
}

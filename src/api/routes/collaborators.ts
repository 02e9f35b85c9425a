import * as z from 'zod';
import { APP_ROLES, type App, type Collaborator } from '../../domain/index.js';
import { invalid, notFound } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest, Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

/** Heroku's body (`user` is an email or id; `silent` is accepted: cupaas sends no mail), plus the role to grant. */
const AddCollaborator = z.lazy(() => z.strictObject({
  user: z.string().min(1).max(254),
  role: z.enum(APP_ROLES).optional(),
  silent: z.boolean().optional(),
  permissions: z.array(z.string()).optional(),
}));

const collaboratorJson = (c: Collaborator, app: App) => ({
  id: c.id,
  app: appRef(app),
  role: c.role,
  permissions: [],
  user: { id: c.userId, email: c.email, federated: false },
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

/**
 * Per-app collaborators (`/apps/{app}/collaborators`): users granted a role
 * on one app (`member` unless told). Listing is for anyone who reads the app;
 * granting and removing is for its admins.
 */
export function collaboratorRoutes(ctx: Pick<ApiContext, 'store'>): Route[] {
  const find = (req: ApiRequest): Collaborator => {
    const key = (req.params.collaborator as string).toLowerCase();
    const c = ctx.store.collaborators.list(appFor(req).id).find((x) => x.id === key || x.userId === key || x.email === key);
    if (!c) throw notFound('collaborator', req.params.collaborator as string);
    return c;
  };
  return [
    {
      method: 'GET',
      path: '/apps/:app/collaborators',
      access: 'app:read',
      handler: async (req) => ({ body: ctx.store.collaborators.list(appFor(req).id).map((c) => collaboratorJson(c, appFor(req))) }),
    },
    {
      method: 'GET',
      path: '/apps/:app/collaborators/:collaborator',
      access: 'app:read',
      handler: async (req) => ({ body: collaboratorJson(find(req), appFor(req)) }),
    },
    {
      method: 'POST',
      path: '/apps/:app/collaborators',
      access: 'app:manage',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(AddCollaborator);
        const user = ctx.store.users.find(body.user);
        if (!user) throw notFound('user', body.user);
        if (user.id === app.ownerId) throw invalid(`${user.email} owns ${app.name} already.`);
        const c = ctx.store.collaborators.put(app.id, user.id, body.role ?? 'member');
        req.audit.detail = `collaborator ${c.email} as ${c.role}`;
        return { status: 201, body: collaboratorJson(c, app) };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app/collaborators/:collaborator',
      access: 'app:manage',
      handler: async (req) => {
        const c = find(req);
        ctx.store.collaborators.remove(c.appId, c.userId);
        req.audit.detail = `collaborator ${c.email} removed`;
        return { body: collaboratorJson(c, appFor(req)) };
      },
    },
  ];
}

import * as z from 'zod';
import type { Authorization, User } from '../../domain/index.js';
import { notFound } from '../../shared/errors.js';
import { newSecret } from '../../shared/ids.js';
import { isoTime } from '../../shared/time.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';

/** Heroku's body; `scope` is accepted and ignored (a token acts with its user's roles). */
const CreateAuthorization = z.lazy(() => z.strictObject({
  description: z.string().max(200).optional(),
  expires_in: z.number().int().min(1).max(10 * 365 * 24 * 3600).optional(),
  scope: z.array(z.string()).optional(),
}));

const expiresIn = (a: Authorization): number | null =>
  a.expiresAt === null ? null : Math.max(0, Math.round((Date.parse(a.expiresAt) - Date.now()) / 1000));

/** Heroku's OAuth authorization shape; `token` only in the answer that created it (only its digest is stored). */
function authorizationJson(a: Authorization, user: User, token?: string) {
  return {
    id: a.id,
    description: a.description,
    scope: ['global'],
    created_at: a.createdAt,
    updated_at: a.createdAt,
    access_token: { id: a.id, token: token ?? null, expires_in: expiresIn(a) },
    refresh_token: null,
    client: null,
    grant: null,
    session: null,
    user: { id: user.id, email: user.email, full_name: user.name },
  };
}

/**
 * API tokens (`/oauth/authorizations`). Heroku's classic login creates one
 * with Basic `EMAIL:PASSWORD`; a signed-in user may also create more with a
 * token. Revoking or expiring one refuses it at once on the API, git and log streams.
 */
export function oauthRoutes(ctx: Pick<ApiContext, 'store'>): Route[] {
  const own = (user: User, id: string): Authorization => {
    const a = ctx.store.users.authorizations(user.id).find((x) => x.id === id);
    if (!a) throw notFound('authorization', id);
    return a;
  };
  return [
    {
      method: 'POST',
      path: '/oauth/authorizations',
      access: 'user',
      passwordLogin: true,
      handler: async (req) => {
        const body = await req.body(CreateAuthorization);
        const token = `cpk_${newSecret(24)}`;
        const expiresAt = body.expires_in ? isoTime(Date.now() + body.expires_in * 1000) : null;
        const description = body.description ?? 'created by the API';
        const a = ctx.store.users.addApiKey(req.user.id, token, description, expiresAt);
        req.audit.detail = `authorization ${a.id} "${description}"${expiresAt ? ` until ${expiresAt}` : ''}`;
        return { status: 201, body: authorizationJson(a, req.user, token) };
      },
    },
    {
      method: 'GET',
      path: '/oauth/authorizations',
      access: 'user',
      handler: async (req) => ({ body: ctx.store.users.authorizations(req.user.id).map((a) => authorizationJson(a, req.user)) }),
    },
    {
      method: 'GET',
      path: '/oauth/authorizations/:id',
      access: 'user',
      handler: async (req) => ({ body: authorizationJson(own(req.user, req.params.id as string), req.user) }),
    },
    {
      method: 'DELETE',
      path: '/oauth/authorizations/:id',
      access: 'user',
      handler: async (req) => {
        const a = own(req.user, req.params.id as string);
        ctx.store.users.revokeAuthorization(req.user.id, a.id);
        req.audit.detail = `authorization ${a.id} "${a.description}"`;
        return { body: authorizationJson(a, req.user) };
      },
    },
  ];
}

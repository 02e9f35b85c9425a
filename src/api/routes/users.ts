import * as z from 'zod';
import type { User } from '../../domain/index.js';
import { conflict, invalid, notFound, PlatformError } from '../../shared/errors.js';
import { newSecret } from '../../shared/ids.js';
import { hashPassword, verifyPassword } from '../../shared/password.js';
import { isoTime } from '../../shared/time.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { userJson } from '../shapes.js';

const Password = z.lazy(() => z.string().min(8, 'a password needs at least 8 characters').max(200));
const Email = z.lazy(() => z.string().trim().toLowerCase().max(254).regex(/^[^\s@]+@[^\s@]+$/, 'not an email address'));
const Role = z.lazy(() => z.enum(['admin', 'member']));

const CreateUser = z.lazy(() => z.strictObject({ email: Email, name: z.string().max(100).optional(), role: Role.optional(), password: Password.optional() }));
const UpdateUser = z.lazy(() => z.strictObject({ role: Role.optional(), password: Password.optional(), reset_password: z.literal(true).optional() }));
const UpdateAccount = z.lazy(() => z.strictObject({ password: Password, current_password: z.string().max(200).optional(), name: z.string().max(100).optional() }));
const AcceptInvitation = z.lazy(() => z.strictObject({ password: Password }));

/** How long an invitation (or reset) code may be used to set a password. */
const INVITATION_DAYS = 7;

/**
 * Accounts: platform admins create users (`POST /users`) with a password or
 * a one-time invitation code, change roles, reset passwords; anyone sets
 * their own password (`PATCH /account`) or redeems a code
 * (`PATCH /invitations/{code}`, Heroku's invitation acceptance).
 */
export function userRoutes(ctx: Pick<ApiContext, 'store' | 'authentication'>): Route[] {
  const invite = (user: User) => {
    const code = newSecret(18);
    ctx.store.users.setInvitation(user.id, code, isoTime(Date.now() + INVITATION_DAYS * 86_400_000));
    return code;
  };
  const find = (key: string): User => {
    const user = ctx.store.users.find(key);
    if (!user) throw notFound('user', key);
    return user;
  };
  const show = (user: User, extra: Record<string, unknown> = {}) => ({
    ...userJson(user), password_set: ctx.store.users.passwordHash(user.id) !== null, ...extra,
  });
  const admins = () => ctx.store.users.list().filter((u) => u.role === 'admin').length;

  return [
    { method: 'GET', path: '/users', access: 'platform-admin', handler: async () => ({ body: ctx.store.users.list().map((u) => show(u)) }) },
    {
      method: 'POST',
      path: '/users',
      access: 'platform-admin',
      handler: async (req) => {
        const body = await req.body(CreateUser);
        if (ctx.store.users.find(body.email)) throw conflict(`A user with the email ${body.email} exists already.`);
        const hash = body.password ? await hashPassword(body.password) : null;
        const user = ctx.store.users.create(body.email, body.name ?? body.email.split('@')[0]!, body.role ?? 'member');
        req.audit.detail = `user ${user.email} (${user.role})`;
        if (hash) {
          ctx.store.users.setPasswordHash(user.id, hash);
          return { status: 201, body: show(user) };
        }
        return { status: 201, body: show(user, { invitation_code: invite(user) }) };
      },
    },
    { method: 'GET', path: '/users/:user', access: 'platform-admin', handler: async (req) => ({ body: show(find(req.params.user as string)) }) },
    {
      method: 'PATCH',
      path: '/users/:user',
      access: 'platform-admin',
      handler: async (req) => {
        const user = find(req.params.user as string);
        const body = await req.body(UpdateUser);
        if (body.role === 'member' && user.role === 'admin' && admins() === 1) {
          throw invalid('This is the last platform admin; make another user an admin first.');
        }
        const hash = body.password ? await hashPassword(body.password) : null;
        const changes: string[] = [];
        if (body.role) {
          ctx.store.users.setRole(user.id, body.role);
          changes.push(`role ${body.role}`);
        }
        let code: string | undefined;
        if (hash || body.reset_password) {
          // A reset means the old secrets may be known to someone else: every token of the user goes too.
          ctx.store.users.revokeAllAuthorizations(user.id);
          if (hash) ctx.store.users.setPasswordHash(user.id, hash);
          else code = invite(user);
          changes.push(hash ? 'password set' : 'password reset');
        }
        req.audit.detail = `user ${user.email}: ${changes.join(', ') || 'no change'}`;
        return { body: show(find(user.id), code ? { invitation_code: code } : {}) };
      },
    },
    {
      method: 'DELETE',
      path: '/users/:user',
      access: 'platform-admin',
      handler: async (req) => {
        const user = find(req.params.user as string);
        if (user.id === req.user.id) throw invalid('You cannot delete your own account.');
        // Team apps name their creator as owner too: the record must not point at a deleted user.
        const owned = ctx.store.apps.list().filter((a) => a.ownerId === user.id);
        if (owned.length) throw invalid(`${user.email} owns ${owned.map((a) => a.name).join(', ')}; destroy them first.`);
        ctx.store.users.delete(user.id);
        req.audit.detail = `user ${user.email}`;
        return { body: show(user) };
      },
    },
    {
      method: 'PATCH',
      path: '/account',
      access: 'user',
      handler: async (req) => {
        const body = await req.body(UpdateAccount);
        const current = ctx.store.users.passwordHash(req.user.id);
        if (current !== null && !(await verifyPassword(body.current_password ?? '', current))) {
          throw new PlatformError('forbidden', 'The current password is wrong; send it as current_password.');
        }
        ctx.store.users.setPasswordHash(req.user.id, await hashPassword(body.password));
        req.audit.detail = 'password changed';
        return { body: show(find(req.user.id)) };
      },
    },
    {
      // The code itself is the credential, as Heroku's invitation token: no API key.
      method: 'PATCH',
      path: '/invitations/:code',
      access: 'public',
      handler: async (req) => {
        const user = ctx.authentication.byInvitation(req.params.code as string, req.raw.socket.remoteAddress ?? '');
        const body = await req.body(AcceptInvitation);
        ctx.store.users.setPasswordHash(user.id, await hashPassword(body.password));
        Object.assign(req.audit, { user, detail: 'invitation accepted, password set' });
        return { body: show(find(user.id)) };
      },
    },
  ];
}

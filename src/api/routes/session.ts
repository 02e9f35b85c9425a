import * as z from 'zod';
import type { SessionInfo, User } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import { newSecret } from '../../shared/ids.js';
import { isoTime } from '../../shared/time.js';
import type { ApiContext } from '../context.js';
import { sessionCookie, sessionIdFrom, SESSION_LIFETIME_MS, type ApiRequest, type Route, type Session } from '../http/index.js';

const Login = z.lazy(() => z.union([
  z.strictObject({ api_key: z.string().min(1).max(512) }),
  z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
]));

const info = (s: Session, user: User): SessionInfo => ({
  user: { id: user.id, email: user.email },
  csrf_token: s.csrfToken,
  expires_at: isoTime(s.expiresAt),
});

/**
 * The dashboard's login: exchanges an API token, or an email and password,
 * for a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and a
 * CSRF token that every API call made with the cookie must echo. A password
 * login makes an API token for the session (as `POST /oauth/authorizations`
 * does, throttled the same way), listed with the user's tokens and revoked
 * at logout.
 */
export function sessionRoutes(ctx: ApiContext): Route[] {
  const secure = (req: ApiRequest) =>
    ctx.config.publicApiUrl.startsWith('https:') || req.headers['x-forwarded-proto'] === 'https';
  const address = (req: ApiRequest) => req.raw.socket.remoteAddress ?? '';

  const open = async (req: ApiRequest, body: z.infer<typeof Login>): Promise<{ s: Session; user: User }> => {
    if ('api_key' in body) {
      const { user } = ctx.authentication.byToken(body.api_key.trim(), address(req));
      return { s: ctx.sessions.create(body.api_key.trim()), user };
    }
    const user = await ctx.authentication.byPassword(body.email, body.password, address(req));
    const token = `cpk_${newSecret(24)}`;
    const expiresAt = isoTime(Date.now() + SESSION_LIFETIME_MS);
    const a = ctx.store.users.addApiKey(user.id, token, 'cupaas dashboard session', expiresAt);
    return { s: ctx.sessions.create(token, { userId: user.id, authorizationId: a.id }), user };
  };

  return [
    {
      method: 'POST',
      path: '/session',
      access: 'public',
      auditSource: 'dashboard',
      handler: async (req) => {
        // JSON only: a cross-site form cannot send it without a CORS preflight, which is never answered.
        if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
          throw new PlatformError('bad_request', 'Send the login as JSON (`Content-Type: application/json`).');
        }
        const { s, user } = await open(req, await req.body(Login));
        req.audit.user = user;
        req.audit.detail = 'dashboard login';
        return { status: 201, body: info(s, user), headers: { 'Set-Cookie': sessionCookie(s.id, secure(req)), 'Cache-Control': 'no-store' } };
      },
    },
    {
      method: 'GET',
      path: '/session',
      access: 'public',
      handler: async (req) => {
        const s = ctx.sessions.find(sessionIdFrom(req.headers));
        const found = s && ctx.store.users.findByApiKey(s.apiKey);
        if (!s || !found) throw new PlatformError('unauthorized', 'Not logged in.');
        return { body: info(s, found.user), headers: { 'Cache-Control': 'no-store' } };
      },
    },
    {
      // Logging out needs the CSRF token like any call, so another site cannot log a user out.
      method: 'DELETE',
      path: '/session',
      access: 'user',
      auditSource: 'dashboard',
      handler: async (req) => {
        const id = sessionIdFrom(req.headers);
        const s = ctx.sessions.find(id);
        if (s?.ownToken) ctx.store.users.revokeAuthorization(s.ownToken.userId, s.ownToken.authorizationId);
        if (id) ctx.sessions.delete(id);
        return { status: 204, headers: { 'Set-Cookie': sessionCookie('', secure(req), 0) } };
      },
    },
  ];
}

import { z } from 'zod';
import type { SessionInfo, User } from '../../domain/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { sessionCookie, sessionIdFrom, type ApiRequest, type Route, type Session, type Sessions } from '../http/index.js';

const Login = z.union([
  z.strictObject({ api_key: z.string().min(1).max(512) }),
  z.strictObject({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) }),
]);

const unauthorized = (message: string) => new PlatformError('unauthorized', message);

/**
 * Email and password go through the public API's OAuth flow (Heroku's
 * `POST /oauth/authorizations` with Basic auth), exactly as any client would:
 * the session keeps the token it returns.
 */
async function tokenFor(apiUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${apiUrl}/oauth/authorizations`, {
    method: 'POST',
    headers: {
      Accept: 'application/vnd.heroku+json; version=3',
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`,
    },
    body: JSON.stringify({ description: 'cupaas dashboard session' }),
  });
  if (res.status === 404) throw unauthorized('This platform has no email logins yet; paste an API key (`cupaas auth:token`).');
  if (!res.ok) throw unauthorized('Wrong email or password.');
  const body = (await res.json()) as { access_token?: { token?: string }; token?: string };
  const token = body.access_token?.token ?? body.token;
  if (!token) throw new PlatformError('internal_error', 'The OAuth endpoint answered without a token.');
  return token;
}

const info = (s: Session, user: User): SessionInfo => ({
  user: { id: user.id, email: user.email },
  csrf_token: s.csrfToken,
  expires_at: new Date(s.expiresAt).toISOString(),
});

/**
 * The dashboard's login: exchanges an API key, or an email and password, for
 * a session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and a CSRF
 * token that every API call made with the cookie must echo.
 */
export function sessionRoutes(ctx: ApiContext, sessions: Sessions, findUserByKey: (key: string) => User | undefined): Route[] {
  const secure = (req: ApiRequest) =>
    ctx.config.publicApiUrl.startsWith('https:') || req.headers['x-forwarded-proto'] === 'https';
  const current = (req: ApiRequest) => {
    const s = sessions.find(sessionIdFrom(req.headers));
    const user = s && findUserByKey(s.apiKey);
    if (!s || !user) throw unauthorized('Not logged in.');
    return { s, user };
  };
  return [
    {
      method: 'POST',
      path: '/session',
      auth: 'none',
      handler: async (req) => {
        // JSON only: a cross-site form cannot send it without a CORS preflight we never answer.
        if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
          throw new PlatformError('bad_request', 'Send the login as JSON (`Content-Type: application/json`).');
        }
        const body = await req.body(Login);
        const key = 'api_key' in body ? body.api_key.trim() : await tokenFor(ctx.config.publicApiUrl, body.email, body.password);
        const user = findUserByKey(key);
        if (!user) throw unauthorized('That API key is not valid. `cupaas auth:token` prints yours.');
        const s = sessions.create(key);
        return { status: 201, body: info(s, user), headers: { 'Set-Cookie': sessionCookie(s.id, secure(req)), 'Cache-Control': 'no-store' } };
      },
    },
    {
      method: 'GET',
      path: '/session',
      auth: 'none',
      handler: async (req) => {
        const { s, user } = current(req);
        return { body: info(s, user), headers: { 'Cache-Control': 'no-store' } };
      },
    },
    {
      // Logging out needs the CSRF token too, so another site cannot log a user out.
      method: 'DELETE',
      path: '/session',
      auth: 'key',
      handler: async (req) => {
        const id = sessionIdFrom(req.headers);
        if (id) sessions.delete(id);
        return { status: 204, headers: { 'Set-Cookie': sessionCookie('', secure(req), 0) } };
      },
    },
  ];
}

import type { IncomingHttpHeaders } from 'node:http';

/** The token of `Authorization: Bearer TOKEN`. */
export function bearerToken(headers: IncomingHttpHeaders): string | null {
  const m = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  return m ? (m[1] as string).trim() || null : null;
}

/**
 * The user name and password of HTTP Basic auth. Only git (the API key as
 * password) and `POST /oauth/authorizations` (email and password) read it: a
 * browser may replay Basic credentials on any request, so no other route may.
 */
export function basicCredentials(headers: IncomingHttpHeaders): { user: string; password: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(headers.authorization ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0 || colon === decoded.length - 1) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

import type { IncomingHttpHeaders } from 'node:http';

/** The password of HTTP Basic auth (git sends the API key there; the user name is ignored). */
export function basicPassword(headers: IncomingHttpHeaders): string | null {
  const m = /^Basic\s+(.+)$/i.exec(headers.authorization ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : null;
}

import type { IncomingHttpHeaders } from 'node:http';

/** The API key from `Authorization: Bearer KEY` or Basic with the key as password. */
export function apiKeyFrom(headers: IncomingHttpHeaders): string | null {
  const h = headers.authorization;
  if (!h) return null;
  const bearer = /^Bearer\s+(.+)$/i.exec(h);
  if (bearer) return (bearer[1] as string).trim();
  const basic = /^Basic\s+(.+)$/i.exec(h);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) || null : null;
}

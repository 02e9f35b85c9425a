import { newId } from '../../shared/ids.js';

const REQUEST_ID = /^[A-Za-z0-9+/=-]{20,200}$/;

/** Keeps a client's X-Request-Id when it is 20-200 chars of `[A-Za-z0-9+/=-]` (Heroku's rule), else a new UUID. */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId();
}

/** The hostname a request is for: lowercase, without port or trailing dot. */
export function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const h = hostHeader.trim().toLowerCase();
  const bare = h.startsWith('[') ? h.slice(0, h.indexOf(']') + 1) : h.replace(/:\d*$/, '');
  return bare.replace(/\.$/, '');
}

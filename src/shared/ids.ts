import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/**
 * A URL-safe random secret with `bytes` bytes of entropy (less a 64th of a
 * bit): never one that starts with `-`, which a command line would read as an
 * option (`cupaas users:passwd --code -x…` failed one time in 64).
 */
export function newSecret(bytes = 32): string {
  for (;;) {
    const secret = randomBytes(bytes).toString('base64url');
    if (!secret.startsWith('-')) return secret;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

/**
 * A UUID-shaped id that is always the same for the same `name` (version 5
 * style, SHA-1): for things that have no stored record but need an id in
 * the API, such as a computed default domain or an add-on service.
 */
export function stableId(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

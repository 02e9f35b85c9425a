import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Compares two secrets in constant time. Both sides are hashed first so the
 * buffers given to timingSafeEqual always have equal length, and the time
 * taken reveals neither the content nor the length of the expected value.
 */
export function safeEqual(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Hex HMAC-SHA256 of the raw body, as every provider that signs computes it. */
export const hmacHex = (secret: string, body: Buffer): string =>
  createHmac('sha256', secret).update(body).digest('hex');

/** Checks a `sha256=<hex>` header (GitHub, Bitbucket, generic); a missing header fails. */
export function verifyPrefixedHmac(header: string | undefined, secret: string, body: Buffer): boolean {
  if (header === undefined) return false;
  return safeEqual(header.trim().toLowerCase(), `sha256=${hmacHex(secret, body)}`);
}

/** Checks a bare hex HMAC header (Gitea, Forgejo); a missing header fails. */
export function verifyHexHmac(header: string | undefined, secret: string, body: Buffer): boolean {
  if (header === undefined) return false;
  return safeEqual(header.trim().toLowerCase(), hmacHex(secret, body));
}

/** One header's value; repeated headers count as absent, since a sender never repeats them. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return typeof v === 'string' ? v : undefined;
}

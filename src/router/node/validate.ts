import type { RequestHead } from './headers.js';
import { MAX_HEADERS, MAX_LINE_BYTES } from './limits.js';

const UNSAFE_PATH = /[^\x21-\xff]/;

/** Why the router refuses to forward a request, or null when it is fine. */
export function invalidRequest(url: string, rawHeaderCount: number, head: RequestHead): string | null {
  if (url.length > MAX_LINE_BYTES) return 'The request line is longer than 8192 bytes.';
  // The router writes the path into the dyno's request head as it is.
  if (UNSAFE_PATH.test(url)) return 'The request path has a space or a control character; percent-encode it.';
  if (rawHeaderCount > MAX_HEADERS) return `The request has more than ${MAX_HEADERS} headers.`;
  if (head.oversized !== undefined) return `The header ${head.oversized.slice(0, 100)} is longer than 8192 bytes.`;
  if (head.hostCount > 1) return 'The request has more than one Host header.';
  return null;
}


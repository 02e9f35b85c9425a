import type { IncomingMessage } from 'node:http';

/** Heroku's limits: 8 KB per request or header line, 1000 headers, one Host. */
export const MAX_LINE_BYTES = 8192;
export const MAX_HEADERS = 1000;

/** Why the router refuses to forward a request, or null when it is fine. */
export function invalidRequest(req: IncomingMessage): string | null {
  if ((req.url ?? '').length > MAX_LINE_BYTES) return 'The request line is longer than 8192 bytes.';
  const raw = req.rawHeaders;
  if (raw.length / 2 > MAX_HEADERS) return `The request has more than ${MAX_HEADERS} headers.`;
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length + (raw[i + 1] as string).length + 2 > MAX_LINE_BYTES) {
      return `The header ${name.slice(0, 100)} is longer than 8192 bytes.`;
    }
    if (name.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) return 'The request has more than one Host header.';
  return null;
}

/** A request carries a body when it declares a length above zero or a transfer coding. */
export const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

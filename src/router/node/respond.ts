import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorPage } from '../errors.js';

/** Answers with a router page; a response already under way can only be cut. */
export function sendPage(res: ServerResponse, page: ErrorPage, method: string | undefined): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(page.status, {
    'Content-Type': page.contentType,
    'Content-Length': Buffer.byteLength(page.body),
    'Cache-Control': 'no-cache, no-store',
  });
  res.end(method === 'HEAD' ? undefined : page.body);
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 503: 'Service Unavailable' };

/** The same page written raw on a socket that asked to upgrade (no ServerResponse exists there). */
export function sendPageOnSocket(socket: Duplex, page: ErrorPage): void {
  socket.end(
    `HTTP/1.1 ${page.status} ${REASONS[page.status] ?? 'Error'}\r\nContent-Type: ${page.contentType}\r\n` +
      `Content-Length: ${Buffer.byteLength(page.body)}\r\nConnection: close\r\n\r\n${page.body}`,
  );
}

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_IDS, isPlatformError, type ErrorId } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { JsonResponse } from './types.js';

/** Writes a JSON body with an ETag; answers 304 when the client already has it. */
export function sendJson(req: IncomingMessage, res: ServerResponse, r: JsonResponse): void {
  const status = r.status ?? 200;
  const text = r.body === undefined ? '' : JSON.stringify(r.body);
  for (const [k, v] of Object.entries(r.headers ?? {})) res.setHeader(k, v);
  if (status === 200 && req.method === 'GET' && text) {
    const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
    res.setHeader('ETag', etag);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304).end();
      return;
    }
  }
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(req.method === 'HEAD' ? undefined : text);
}

export function sendError(req: IncomingMessage, res: ServerResponse, id: ErrorId, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(req, res, { status: ERROR_IDS[id], body: { id, message } });
}

/** The one place that turns any thrown value into an HTTP error. */
export function sendThrown(req: IncomingMessage, res: ServerResponse, e: unknown, logger: Logger, requestId: string): void {
  if (isPlatformError(e)) {
    sendError(req, res, e.id, e.message);
    return;
  }
  logger.error('request failed', { requestId, error: e instanceof Error ? e.stack : String(e) });
  sendError(req, res, 'internal_error', `Internal error. The server log has details under request id ${requestId}.`);
}

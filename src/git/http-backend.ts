import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../shared/logger.js';

export interface BackendRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Repos root (GIT_PROJECT_ROOT) and the path inside it, e.g. `/<appId>.git/info/refs`. */
  projectRoot: string;
  pathInfo: string;
  query: string;
  remoteUser: string;
  /** PATH plus anything the hook needs (its callback URL and token). */
  env: Readonly<Record<string, string>>;
  logger: Logger;
}

/** Splits CGI output into its header block and the start of the body. */
function splitCgi(buf: Buffer): { headers: string; rest: Buffer } | null {
  for (const sep of ['\r\n\r\n', '\n\n']) {
    const i = buf.indexOf(sep);
    if (i >= 0) return { headers: buf.subarray(0, i).toString('latin1'), rest: buf.subarray(i + sep.length) };
  }
  return null;
}

/**
 * Serves one smart-HTTP request with the real `git http-backend` as a CGI
 * program: the request body streams to it, its output streams back, so
 * hook output (the build) reaches the pusher as it happens.
 */
export function runHttpBackend(b: BackendRequest): Promise<void> {
  const h = b.req.headers;
  const env: Record<string, string> = {
    ...b.env,
    GIT_PROJECT_ROOT: b.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    PATH_INFO: b.pathInfo,
    QUERY_STRING: b.query,
    REQUEST_METHOD: b.req.method ?? 'GET',
    REMOTE_USER: b.remoteUser,
    REMOTE_ADDR: b.req.socket.remoteAddress ?? '',
    CONTENT_TYPE: h['content-type'] ?? '',
  };
  if (h['content-length']) env.CONTENT_LENGTH = h['content-length'];
  if (h['content-encoding']) env.HTTP_CONTENT_ENCODING = h['content-encoding'];
  if (typeof h['git-protocol'] === 'string') env.GIT_PROTOCOL = h['git-protocol'];

  return new Promise((resolve) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let head: Buffer | null = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      if (head === null) return void b.res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const parsed = splitCgi(head);
      if (!parsed) return;
      head = null;
      let status = 200;
      for (const line of parsed.headers.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
        else b.res.setHeader(name, value);
      }
      b.res.writeHead(status);
      if (parsed.rest.length) b.res.write(parsed.rest);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => b.logger.debug('git http-backend', { stderr: c.trim() }));
    child.stdin.on('error', () => {});
    b.req.pipe(child.stdin);
    child.on('error', (e) => {
      b.logger.error('git http-backend failed to start', { error: e.message });
      if (!b.res.headersSent) b.res.writeHead(500);
      b.res.end();
      resolve();
    });
    child.on('close', () => {
      if (!b.res.headersSent) b.res.writeHead(500);
      b.res.end();
      resolve();
    });
  });
}

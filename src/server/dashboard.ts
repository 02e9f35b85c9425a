import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Route } from '../api/index.js';
import { notFound } from '../shared/errors.js';

/** `npm run build` writes the dashboard here (from `web/`), next to the compiled server. */
export const DASHBOARD_DIR = new URL('../../dist/dashboard/', import.meta.url).pathname;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page may talk only to this origin, load only its own files, and never be framed. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * The web dashboard's static files on the API port: `/` and `/assets/*`. It
 * is a client of the public API like the CLI; nothing here reads the store.
 */
export function dashboardRoutes(dir = DASHBOARD_DIR): Route[] {
  const send = (file: string, cache: string) => async (_req: unknown, res: import('node:http').ServerResponse) => {
    const path = join(dir, file);
    if (!existsSync(path)) {
      if (file === 'index.html') {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The dashboard is not built: run `npm run build`.\n');
        return 'streamed' as const;
      }
      throw notFound('dashboard file', file);
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': cache, ...SECURITY_HEADERS });
    res.end(readFileSync(path));
    return 'streamed' as const;
  };
  return [
    { method: 'GET', path: '/', access: 'public', raw: true, handler: (req, res) => send('index.html', 'no-cache')(req, res) },
    {
      method: 'GET',
      path: '/assets/:file',
      access: 'public',
      raw: true,
      handler: (req, res) => {
        const file = req.params.file as string;
        // Vite names assets by content hash; nothing else (no dots-only, no slashes) is served.
        if (!/^[\w.-]+\.(js|css|svg)$/.test(file) || file.startsWith('.')) throw notFound('dashboard file', file);
        return send(`assets/${file}`, 'public, max-age=31536000, immutable')(req, res);
      },
    },
  ];
}

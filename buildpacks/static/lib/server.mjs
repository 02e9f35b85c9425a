// The static file server the static buildpack puts into a slug. Serves the
// app's directory on $PORT with content types, ETags and caching headers.
// Slug files carry a fixed mtime, so validators come from content digests.
// Dotfiles (manifests, this server) are never served.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const PORT = Number(process.env.PORT ?? 5000);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** HTML must be revalidated so a deploy shows at once; assets may be cached for an hour. */
const cacheControl = (ext) => (ext === '.html' || ext === '.htm' ? 'no-cache' : 'public, max-age=3600');

/** The file a URL path names, or null when it leaves the root or names a dotfile. */
function resolvePath(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  if (rel.split(sep).some((part) => part.startsWith('.') && part !== '')) return null;
  return join(ROOT, rel);
}

async function fileFor(path) {
  const s = await stat(path).catch(() => null);
  if (s?.isDirectory()) return fileFor(join(path, 'index.html'));
  return s?.isFile() ? { path, stat: s } : null;
}

/** A slug never changes while it runs, so each file is hashed once. */
const etags = new Map();
async function etagOf(path) {
  let tag = etags.get(path);
  if (!tag) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk);
    tag = `"${hash.digest('base64url').slice(0, 27)}"`;
    etags.set(path, tag);
  }
  return tag;
}

function send404(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end('Not Found\n');
}

const server = createServer(async (req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const path = resolvePath(new URL(req.url ?? '/', 'http://x').pathname);
  const file = path && (await fileFor(path));
  if (!file) return send404(res);
  const ext = extname(file.path).toLowerCase();
  const etag = await etagOf(file.path);
  const headers = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Cache-Control': cacheControl(ext),
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Length': String(file.stat.size) });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file.path).pipe(res);
});

server.listen(PORT, '0.0.0.0', () => console.log(`static site listening on port ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

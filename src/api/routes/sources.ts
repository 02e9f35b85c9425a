import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';

/** The URL of an uploaded source blob; the same URL reads and (once) writes it. */
export const sourceUrl = (ctx: Pick<ApiContext, 'config'>, id: string): string => `${ctx.config.publicApiUrl}/sources/${id}`;

/** The blob id of a URL made by `sourceUrl` on this server, else null: cupaas never fetches other URLs. */
export function ownSourceId(ctx: Pick<ApiContext, 'config'>, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const m = /^\/sources\/([A-Za-z0-9_-]+)$/.exec(u.pathname);
  return m && u.origin === new URL(ctx.config.publicApiUrl).origin ? (m[1] as string) : null;
}

/**
 * Heroku's `POST /sources`: a place to upload a source tarball (PUT to
 * `put_url`) that `POST /apps/{app}/builds` then builds. The URLs carry an
 * unguessable id, like presigned URLs, so PUT and GET need no API key.
 */
export function sourceRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/sources',
      access: 'user',
      handler: async () => {
        const url = sourceUrl(ctx, ctx.sources.create());
        return { status: 201, body: { source_blob: { get_url: url, put_url: url } } };
      },
    },
    {
      method: 'PUT',
      path: '/sources/:id',
      access: 'public',
      // An anonymous upload to a secret URL; the build that uses it is what the trail records.
      audit: false,
      raw: true,
      handler: async (req) => {
        const length = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
        await ctx.sources.put(req.params.id as string, req.raw, length);
        return { status: 200, body: {} };
      },
    },
    {
      method: 'GET',
      path: '/sources/:id',
      access: 'public',
      raw: true,
      handler: async (req, res) => {
        const stream = ctx.sources.open(req.params.id as string);
        if (!stream) return { status: 404, body: { id: 'not_found', message: 'Unknown or expired source.' } };
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        stream.pipe(res);
        return 'streamed';
      },
    },
  ];
}

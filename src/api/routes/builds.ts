import * as z from 'zod';
import type { App, Build, BuildInfo } from '../../domain/index.js';
import { invalid, notFound, PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { paginate, type Route } from '../http/index.js';
import { appRef, STACK } from '../shapes.js';
import { appFor } from './app-access.js';
import { ownSourceId } from './sources.js';

const CreateBuild = z.lazy(() => z.object({
  source_blob: z.object({
    url: z.string().min(1),
    checksum: z.string().regex(/^SHA256:[0-9a-fA-F]{64}$/, 'expected SHA256:<64 hex digits>').nullish(),
    version: z.string().max(200).nullish(),
    version_description: z.string().nullish(),
  }),
  buildpacks: z.array(z.object({ url: z.string().min(1).optional(), name: z.string().min(1).optional() })).nullish(),
}));

/** How long an output URL may be opened after the API handed it out (a stream already open keeps going). */
export const OUTPUT_URL_TTL_MS = 60 * 60 * 1000;

/**
 * Output URLs carry a sealed `appId:buildId:expiry`, so they work without an
 * API key (as Heroku's do) but only for a while: a leaked URL goes stale.
 */
const outputToken = (ctx: ApiContext, b: Pick<Build, 'appId' | 'id'>) =>
  ctx.store.secrets.seal(`build-output:${b.appId}:${b.id}:${Date.now() + OUTPUT_URL_TTL_MS}`).toString('base64url');

function buildFromToken(ctx: ApiContext, buildId: string, token: string): Build | undefined {
  try {
    const m = /^build-output:([^:]+):([^:]+):(\d+)$/.exec(ctx.store.secrets.open(Buffer.from(token, 'base64url')));
    if (!m || m[2] !== buildId || Number(m[3]) < Date.now()) return undefined;
    return ctx.store.builds.get(m[1] as string, buildId);
  } catch {
    return undefined;
  }
}

export function buildJson(ctx: ApiContext, b: Build, app: App) {
  return {
    id: b.id,
    app: appRef(app),
    status: b.status,
    buildpacks: b.buildpacks.map((url) => ({ url, name: url })),
    source_blob: {
      url: b.sourceUrl,
      checksum: b.sourceChecksum,
      version: b.sourceVersion,
      version_description: b.commitMessage,
    },
    output_stream_url: `${ctx.config.publicApiUrl}/build-output/${b.id}?token=${outputToken(ctx, b)}`,
    release: b.releaseId ? { id: b.releaseId } : null,
    slug: b.slugId ? { id: b.slugId } : null,
    stack: STACK.name,
    trigger: b.trigger,
    commit_author: b.commitAuthor,
    failure_reason: b.failureReason,
    started_at: b.startedAt,
    finished_at: b.finishedAt,
    user: b.userId ? { id: b.userId, email: ctx.store.users.get(b.userId)?.email ?? null } : null,
    created_at: b.createdAt,
    updated_at: b.updatedAt,
  };
}

/** Builds (Heroku's shapes), their output streams, and the build cache. */
export function buildRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/apps/:app/builds',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(CreateBuild);
        const id = ownSourceId(ctx, body.source_blob.url);
        const path = id && ctx.sources.path(id);
        if (!path) {
          throw invalid('source_blob.url must be a put_url from POST /sources on this server (uploaded, under an hour old); cupaas never fetches other URLs.');
        }
        const buildpacks = (body.buildpacks ?? []).map((b) => b.url ?? b.name ?? '').filter(Boolean);
        const { build } = ctx.deployer.start({
          app, userId: req.user.id, trigger: 'api', buildpacks,
          source: { kind: 'tarball', path, url: body.source_blob.url, checksum: body.source_blob.checksum, version: body.source_blob.version },
        });
        return { status: 201, body: buildJson(ctx, build, app) };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/builds',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const fields = { id: (b: Build) => b.id, created_at: (b: Build) => b.createdAt };
        return paginate(ctx.store.builds.list(app.id), req.headers.range, fields, 'created_at', (b) => buildJson(ctx, b, app));
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/builds/:build',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const build = ctx.store.builds.get(app.id, req.params.build as string);
        if (!build) throw notFound('build', req.params.build as string);
        return { body: buildJson(ctx, build, app) };
      },
    },
    {
      method: 'GET',
      path: '/build-output/:build',
      access: 'public',
      raw: true,
      handler: async (req, res) => {
        const build = buildFromToken(ctx, req.params.build as string, req.query.get('token') ?? '');
        if (!build) {
          throw new PlatformError('not_found', 'Unknown or expired build output URL; `GET /apps/{app}/builds/{id}` gives a fresh one.');
        }
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
        res.flushHeaders();
        const stop = ctx.deployer.followOutput(build, (chunk) => res.write(chunk), () => res.end());
        res.on('close', stop);
        return 'streamed';
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app/build-cache',
      access: 'app:deploy',
      handler: async (req) => {
        await ctx.deployer.clearCache(appFor(req));
        return { status: 202, body: {} };
      },
    },
  ];
}

buildJson satisfies (...args: never[]) => BuildInfo;

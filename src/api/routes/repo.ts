import * as z from 'zod';
import type { App, RepoConnection } from '../../domain/index.js';
import { credentialKind, MAX_POLL_INTERVAL, type DeployAttempt, type RepoSync } from '../../repo-sync/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appRef } from '../shapes.js';
import { appFor } from './app-access.js';

const Credential = z.lazy(() => z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('token'),
    token: z.string().min(1).max(4096),
    username: z.string().min(1).max(200).optional(),
  }),
  z.strictObject({ type: z.literal('ssh-key'), generate: z.literal(true) }),
]));

const Connect = z.lazy(() => z.strictObject({
  url: z.string().min(1).max(2048),
  /** Defaults to the app's deploy branch. */
  branch: z.string().min(1).max(200).optional(),
  poll_interval: z.number().int().min(0).max(MAX_POLL_INTERVAL).optional(),
  credential: Credential.nullable().optional(),
}));

type Ctx = Pick<ApiContext, 'apps' | 'config'> & { repoSync: RepoSync };

/** A connection as clients see it: how it authenticates, never with what. */
export function repoJson(ctx: Ctx, app: App, conn: RepoConnection) {
  const kind = credentialKind(conn);
  const queue = ctx.repoSync.status(app.id);
  return {
    app: appRef(app),
    url: conn.url,
    branch: conn.branch,
    poll_interval: conn.pollInterval,
    credential: kind === null ? null : { type: kind, public_key: kind === 'ssh-key' ? conn.sshPublicKey : undefined },
    // By id, so renaming the app does not break the hook configured at the git host.
    webhook_url: `${ctx.config.publicApiUrl}/hooks/${app.id}`,
    last_seen_sha: conn.lastSeenSha,
    last_error: conn.lastError,
    last_checked_at: conn.lastCheckedAt,
    building_sha: queue.building,
    next_sha: queue.next,
    created_at: conn.createdAt,
    updated_at: conn.updatedAt,
  };
}

const deployJson = (d: DeployAttempt) => ('error' in d ? { error: d.error } : { sha: d.sha, status: d.deploy });

/** Connecting an app to a repository and branch; `POST .../deploys` deploys the head now. */
export function repoRoutes(ctx: Ctx): Route[] {
  return [
    {
      method: 'PUT',
      path: '/apps/:app/repo',
      access: 'app:manage',
      maxBodyBytes: 16 * 1024,
      handler: async (req) => {
        const app = appFor(req);
        const body = await req.body(Connect);
        const input = {
          url: body.url,
          branch: body.branch ?? app.deployBranch,
          pollInterval: body.poll_interval,
          credential: body.credential,
        };
        const { connection, created, deploy } = await ctx.repoSync.connect(app, input, req.user.id);
        return {
          status: created ? 201 : 200,
          body: {
            ...repoJson(ctx, app, ctx.repoSync.get(app)),
            // Shown here once; the platform never returns it again.
            webhook_secret: connection.webhookSecret,
            deploy: deployJson(deploy),
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/apps/:app/repo',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        return { body: repoJson(ctx, app, ctx.repoSync.get(app)) };
      },
    },
    {
      method: 'DELETE',
      path: '/apps/:app/repo',
      access: 'app:manage',
      handler: async (req) => {
        const app = appFor(req);
        const body = repoJson(ctx, app, ctx.repoSync.get(app));
        await ctx.repoSync.disconnect(app);
        return { body };
      },
    },
    {
      method: 'POST',
      path: '/apps/:app/repo/deploys',
      access: 'app:deploy',
      handler: async (req) => {
        const app = appFor(req);
        const result = await ctx.repoSync.trigger(app, req.user.id);
        return { status: 202, body: { app: appRef(app), sha: result.sha, status: result.deploy } };
      },
    },
  ];
}

import type { RepoSync } from '../../repo-sync/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ApiContext } from '../context.js';
import { readBody, type Route } from '../http/index.js';

const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

/**
 * Webhooks from git hosts. No API key: the handler proves the sender knows
 * the app's webhook secret (a signature over the raw body, or a token), in
 * constant time, before anything is read from the payload.
 */
export function hookRoutes(ctx: Pick<ApiContext, 'apps'> & { repoSync: RepoSync }): Route[] {
  return [
    {
      method: 'POST',
      path: '/hooks/:app',
      access: 'public',
      auditSource: 'webhook',
      raw: true,
      maxBodyBytes: MAX_WEBHOOK_BYTES,
      handler: async (req) => {
        const app = ctx.apps.find(req.params.app as string);
        req.audit.app = app;
        const body = await readBody(req.raw, MAX_WEBHOOK_BYTES);
        const outcome = ctx.repoSync.receiveWebhook(app, req.headers, body);
        const provider = outcome.provider;
        req.audit.detail = `${provider} ${outcome.action === 'sync' ? `push of ${outcome.sha}` : outcome.action}`;
        switch (outcome.action) {
          case 'unauthorized':
            throw new PlatformError(
              'unauthorized',
              `Missing or wrong webhook signature (read as a ${provider} webhook). Use the secret shown by \`cupaas apps:connect\`.`,
            );
          case 'malformed':
            throw new PlatformError('bad_request', `Webhook ${outcome.reason}.`);
          case 'pong':
            return { body: { provider, status: 'pong' } };
          case 'sync':
            return { status: 202, body: { provider, status: 'accepted', sha: outcome.sha } };
          case 'ignore':
            return { body: { provider, status: 'ignored', reason: outcome.reason } };
        }
      },
    },
  ];
}

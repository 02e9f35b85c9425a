import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ApiRequest, Route } from '../api/index.js';
import { STACK } from '../build/index.js';
import { localUrl, type ResolvedConfig } from '../config/index.js';
import type { App, Deployer, User } from '../domain/index.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { runHttpBackend } from './http-backend.js';
import { basicPassword } from './internal/basic-auth.js';
import { verdictLine } from './internal/hook-script.js';
import { createHookTokens } from './internal/hook-tokens.js';
import { deployUpdate, parseRefUpdates } from './internal/refs.js';
import type { Repos } from './repos.js';

export interface GitDeps {
  config: Pick<ResolvedConfig, 'hostPath' | 'listen' | 'apiPort'>;
  store: Pick<Store, 'users' | 'apps'>;
  deployer: Deployer;
  repos: Repos;
  logger: Logger;
}

const HOOK_PATH = '/git-hooks/pre-receive';
const SERVICES = ['git-upload-pack', 'git-receive-pack'];

const HookCall = z.object({
  token: z.string().min(1),
  refs: z.string(),
  env: z.record(z.enum(['GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH']), z.string()),
});

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): 'streamed' {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(message + '\n');
  return 'streamed';
}

/** The loopback URL hooks call back on (never the public URL: the hook runs on this machine). */
function hookUrl(config: GitDeps['config']): string {
  return localUrl(config.listen, config.apiPort) + HOOK_PATH;
}

/**
 * Git smart HTTP on the API port (`/APP.git/...`), served by the real
 * `git http-backend`. Callers authenticate with Basic auth (any user name,
 * the API key as password) and must own the app. A push builds and deploys
 * inside the pre-receive hook, so a failed build rejects the push.
 */
export function gitRoutes(deps: GitDeps): Route[] {
  const tokens = createHookTokens();

  const access = (req: ApiRequest, res: ServerResponse): { user: User; app: App } | 'streamed' => {
    const key = basicPassword(req.headers);
    const user = key ? deps.store.users.findByApiKey(key) : undefined;
    if (!user) {
      return refuse(res, 401, 'Authentication required: use your cupaas API key as the password (`cupaas login` sets up ~/.netrc).', {
        'WWW-Authenticate': 'Basic realm="cupaas"',
      });
    }
    const app = deps.store.apps.find(req.params.app as string);
    if (!app) return refuse(res, 404, `Couldn't find that app: ${req.params.app}.`);
    if (app.ownerId !== user.id) return refuse(res, 403, `You do not have access to the app ${app.name}.`);
    return { user, app };
  };

  const serve = async (req: ApiRequest, res: ServerResponse, rest: string, service: string): Promise<'streamed'> => {
    const who = access(req, res);
    if (who === 'streamed') return who;
    const gitDir = await deps.repos.ensure(who.app.id);
    const env: Record<string, string> = { PATH: deps.config.hostPath, HOME: deps.repos.root };
    let token: string | null = null;
    if (service === 'git-receive-pack' && rest !== 'info/refs') {
      token = tokens.issue({ appId: who.app.id, userId: who.user.id, gitDir });
      Object.assign(env, { CUPAAS_HOOK_URL: hookUrl(deps.config), CUPAAS_HOOK_TOKEN: token });
    }
    try {
      await runHttpBackend({
        req: req.raw, res, projectRoot: deps.repos.root, pathInfo: `/${who.app.id}.git/${rest}`,
        query: req.query.toString(), remoteUser: who.user.email, env, logger: deps.logger,
      });
    } finally {
      if (token) tokens.revoke(token);
    }
    return 'streamed';
  };

  const preReceive = async (req: ApiRequest, res: ServerResponse): Promise<'streamed'> => {
    const call = await req.body(HookCall);
    const grant = tokens.redeem(call.token);
    if (!grant) return refuse(res, 403, 'This push is not known to the server (token missing, used or expired).');
    const app = deps.store.apps.find(grant.appId);
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const say = (line: string) => res.write(line + '\n');
    const update = app ? deployUpdate(parseRefUpdates(call.refs), app.deployBranch) : 'The app was destroyed.';
    if (!app || typeof update === 'string') {
      say(` !     ${update}`);
      res.end(verdictLine(false));
      return 'streamed';
    }
    say(`-----> Building ${app.name} (${update.newSha.slice(0, 7)}) on the ${STACK} stack`);
    const build = await deps.deployer.deploy({
      app, userId: grant.userId, trigger: 'push', onOutput: say,
      source: { kind: 'git', gitDir: grant.gitDir, sha: update.newSha, env: call.env },
    });
    if (build.status !== 'succeeded') say(` !     Push rejected to ${app.name}.`);
    res.end(verdictLine(build.status === 'succeeded'));
    return 'streamed';
  };

  return [
    {
      method: 'GET', path: '/:app.git/info/refs', auth: 'none', raw: true,
      handler: async (req, res) => {
        const service = req.query.get('service') ?? '';
        if (!SERVICES.includes(service)) return refuse(res, 403, 'Only the smart HTTP protocol is served; use git 1.7 or later.');
        return serve(req, res, 'info/refs', service);
      },
    },
    ...SERVICES.map((service): Route => ({
      method: 'POST', path: `/:app.git/${service}`, auth: 'none', raw: true,
      handler: (req, res) => serve(req, res, service, service),
    })),
    { method: 'POST', path: HOOK_PATH, auth: 'none', raw: true, handler: preReceive },
  ];
}

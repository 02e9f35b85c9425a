import type { ServerResponse } from 'node:http';
import * as z from 'zod';
import { basicCredentials, type AccessPolicy, type ApiRequest, type Authentication, type Route } from '../api/index.js';
import { STACK } from '../build/index.js';
import { localUrl, type ResolvedConfig } from '../config/index.js';
import type { App, Deployer, User } from '../domain/index.js';
import { ERROR_IDS, isPlatformError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { runHttpBackend } from './http-backend.js';
import { verdictLine } from './internal/hook-script.js';
import { createHookTokens } from './internal/hook-tokens.js';
import { deployUpdate, parseRefUpdates } from './internal/refs.js';
import type { Repos } from './repos.js';

export interface GitDeps {
  config: Pick<ResolvedConfig, 'hostPath' | 'listen' | 'apiPort'>;
  store: Pick<Store, 'apps'>;
  authentication: Pick<Authentication, 'byToken'>;
  access: Pick<AccessPolicy, 'app'>;
  deployer: Deployer;
  repos: Repos;
  logger: Logger;
}

const HOOK_PATH = '/git-hooks/pre-receive';
const LOGIN_HINT = 'Authentication required: use a cupaas API token as the password (`cupaas login` sets up ~/.netrc).';
const SERVICES = ['git-upload-pack', 'git-receive-pack'];

const HookCall = z.lazy(() => z.object({
  token: z.string().min(1),
  refs: z.string(),
  env: z.record(z.enum(['GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH']), z.string()),
}));

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
 * an API token as password); the access policy lets readers fetch and
 * members push. A push builds and deploys inside the pre-receive hook, so a
 * failed build rejects the push.
 */
export function gitRoutes(deps: GitDeps): Route[] {
  const tokens = createHookTokens();

  const access = (req: ApiRequest, res: ServerResponse, service: string): { user: User; app: App } | 'streamed' => {
    const key = basicCredentials(req.headers)?.password;
    if (!key) return refuse(res, 401, LOGIN_HINT, { 'WWW-Authenticate': 'Basic realm="cupaas"' });
    try {
      const { user } = deps.authentication.byToken(key, req.raw.socket.remoteAddress ?? '');
      const app = deps.access.app(user, req.params.app as string, service === 'git-receive-pack' ? 'deploy' : 'read');
      Object.assign(req.audit, { user, app });
      return { user, app };
    } catch (e) {
      if (!isPlatformError(e)) throw e;
      const status = ERROR_IDS[e.id];
      return refuse(res, status, status === 401 ? `${e.message} ${LOGIN_HINT}` : e.message, status === 401 ? { 'WWW-Authenticate': 'Basic realm="cupaas"' } : {});
    }
  };

  const serve = async (req: ApiRequest, res: ServerResponse, rest: string, service: string): Promise<'streamed'> => {
    const who = access(req, res, service);
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
      method: 'GET', path: '/:app.git/info/refs', access: 'public', raw: true,
      handler: async (req, res) => {
        const service = req.query.get('service') ?? '';
        if (!SERVICES.includes(service)) return refuse(res, 403, 'Only the smart HTTP protocol is served; use git 1.7 or later.');
        return serve(req, res, 'info/refs', service);
      },
    },
    // The handler authenticates (Basic: git's way) and asks the access policy; fetches change nothing.
    ...SERVICES.map((service): Route => ({
      method: 'POST', path: `/:app.git/${service}`, access: 'public', raw: true, auditSource: 'git',
      audit: service === 'git-receive-pack',
      handler: (req, res) => serve(req, res, service, service),
    })),
    // Called back on loopback by the hook of a push already audited; its one-time token is its credential.
    { method: 'POST', path: HOOK_PATH, access: 'public', audit: false, raw: true, handler: preReceive },
  ];
}

import { join } from 'node:path';
import type { BuildTrigger, Deployer, LogSink, RepoConnection } from '../../domain/index.js';
import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Store } from '../../store/index.js';
import { decodeCredential } from './credential.js';
import { createDeployQueue, type DeployJob, type OfferResult } from './deploy-queue.js';
import { withGitAccess, type GitAccess, type GitAccessPaths } from './git-access.js';
import { fetchHead, GitRemoteError, mirrorHead, remoteHead } from './mirror.js';
import { checkFileRepo, type FileRepoPolicy } from './file-access.js';
import { parseRepoUrl } from './repo-url.js';

export interface SyncerDeps {
  store: Pick<Store, 'repos' | 'apps'>;
  deployer: Deployer;
  logs: LogSink;
  logger: Logger;
  mirrorsDir: string;
  access: GitAccessPaths;
  /** Checked again before every fetch: a path may have become a symlink since it was connected. */
  files: FileRepoPolicy;
}

export interface SyncResult {
  sha: string;
  /** `duplicate`: that sha was already deployed, building or queued, so nothing new starts. */
  deploy: OfferResult;
}

const short = (sha: string) => sha.slice(0, 7);

/**
 * The engine behind webhooks, polls and manual triggers: fetch the branch
 * into the app's mirror, then offer the fetched head to the deploy queue,
 * which hands it to the one Deployer.
 */
export function createSyncer(deps: SyncerDeps) {
  const { store, logs } = deps;
  const say = (appId: string, message: string) => logs.write(appId, { source: 'heroku', process: 'repo', message });
  const mirrorOf = (appId: string) => join(deps.mirrorsDir, `${appId}.git`);
  // Fetches of one app run one at a time: they share the mirror and its ref locks.
  const locks = new Map<string, Promise<unknown>>();
  const exclusive = <T>(appId: string, fn: () => Promise<T>): Promise<T> => {
    const result = (locks.get(appId) ?? Promise.resolve()).then(fn, fn);
    const settled = result.catch(() => undefined);
    locks.set(appId, settled);
    void settled.then(() => locks.get(appId) === settled && locks.delete(appId));
    return result;
  };

  const repoOf = (conn: RepoConnection) => {
    const repo = parseRepoUrl(conn.url);
    checkFileRepo(repo, deps.files);
    return repo;
  };
  const gitFor = <T>(conn: RepoConnection, fn: (access: GitAccess) => Promise<T>): Promise<T> =>
    withGitAccess(repoOf(conn), decodeCredential(conn.credential), deps.access, fn);
  // Set once the server is going down: a deploy that ends after that was cut short, not finished.
  let stopped = false;

  const deploy = async (appId: string, job: DeployJob): Promise<void> => {
    if (stopped) return;
    const app = store.apps.find(appId);
    const conn = store.repos.get(appId);
    if (!app || !conn) return;
    say(appId, `Deploying ${short(job.sha)} from ${conn.branch} (${job.trigger})`);
    try {
      const build = await deps.deployer.deploy({
        app,
        source: { kind: 'git', gitDir: mirrorOf(appId), sha: job.sha },
        trigger: job.trigger,
        userId: job.userId,
      });
      if (build.status === 'failed') {
        say(appId, `Build of ${short(job.sha)} failed (${build.failureReason ?? 'see the build output'}); the previous release keeps serving`);
      }
    } catch (e) {
      deps.logger.error('connected-repo deploy failed', { appId, sha: job.sha, error: errorMessage(e) });
      say(appId, `Deploy of ${short(job.sha)} failed: ${errorMessage(e)}`);
    }
    // A failed build counts as finished too (the next commit is what fixes it); one the shutdown cut short
    // does not, so the next start offers it again.
    if (!stopped) store.repos.recordDeployed(appId, job.sha);
  };
  const queue = createDeployQueue(deploy);

  /** Records a successful contact with the remote, noting recovery from an earlier error. */
  const recordContact = (conn: RepoConnection, sha?: string): void => {
    store.repos.recordCheck(conn.appId, { sha, error: null });
    if (conn.lastError) say(conn.appId, `Repository ${conn.url} is reachable again`);
  };

  /** Fetches the branch and deploys its head unless that sha was already taken. */
  const sync = (appId: string, trigger: BuildTrigger, userId: string | null, force = false): Promise<SyncResult> =>
    exclusive(appId, async () => {
      const conn = store.repos.get(appId);
      if (!conn) throw new GitRemoteError('The app is no longer connected to a repository.');
      const sha = await gitFor(conn, (access) => fetchHead(mirrorOf(appId), conn.url, conn.branch, access));
      const result = queue.offer(appId, { sha, trigger, userId, force });
      recordContact(conn, sha);
      return { sha, deploy: result };
    });

  return {
    queue,
    mirrorOf,

    sync,

    /** One poll: a cheap ls-remote, and a fetch only when the head moved. */
    async poll(appId: string): Promise<void> {
      const conn = store.repos.get(appId);
      if (!conn) return;
      const head = await gitFor(conn, (access) => remoteHead(conn.url, conn.branch, access));
      if (head === null) throw new GitRemoteError(`The repository has no branch ${conn.branch}.`);
      if (head !== queue.accepted(appId)) await sync(appId, 'poll', null);
      else recordContact(conn);
    },

    /**
     * Offers the mirror's branch head again when its deploy never finished
     * (the server stopped or crashed while it was queued or building). Local
     * only: a newer head on the remote is the poller's or a webhook's to find.
     */
    resume: (appId: string): Promise<OfferResult | null> =>
      exclusive(appId, async () => {
        const conn = store.repos.get(appId);
        if (!conn) return null;
        const head = await withGitAccess(repoOf(conn), null, deps.access, (access) =>
          mirrorHead(mirrorOf(appId), conn.branch, access),
        );
        if (head === null || head === store.repos.lastDeployedSha(appId)) return null;
        say(appId, `Deploying ${short(head)} again: the server stopped before its deploy finished`);
        return queue.offer(appId, { sha: head, trigger: 'restart', userId: null });
      }),

    /** From now on nothing new deploys, and deploys still running are not recorded as finished. */
    stop(): void {
      stopped = true;
    },

    /** Records a failed contact where `apps:info` shows it, and tells the app's log. */
    reportFailure(appId: string, error: unknown, context: string): string {
      const message = error instanceof GitRemoteError ? error.message : `internal error: ${errorMessage(error)}`;
      if (!(error instanceof GitRemoteError)) deps.logger.error('repo sync failed', { appId, error: errorMessage(error) });
      if (store.repos.get(appId)) {
        store.repos.recordCheck(appId, { error: message });
        say(appId, `${context}: ${message}`);
      }
      return message;
    },
  };
}

export type Syncer = ReturnType<typeof createSyncer>;

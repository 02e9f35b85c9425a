import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import type { App, Deployer, LogSink, PlatformEvent, RepoConnection } from '../domain/index.js';
import { errorMessage, invalid, notFound, PlatformError } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import { buildConnection, type ConnectInput } from './internal/connection.js';
import { generateDeployKey } from './internal/credential.js';
import { createPoller } from './internal/poller.js';
import { createSyncer, type SyncResult } from './internal/syncer.js';
import { readWebhook, type WebhookOutcome } from './internal/webhooks/read-webhook.js';

export interface RepoSyncDeps {
  store: Pick<Store, 'repos' | 'apps'>;
  /** The one build-and-release path (src/deploy). */
  deployer: Deployer;
  logs: LogSink;
  events: Pick<EventBus<PlatformEvent>, 'subscribe'>;
  logger: Logger;
  /** $CUPAAS_HOME: mirrors, key files and known_hosts live under it. */
  home: string;
  hostPath: string;
  /** Directories `file://` connections may read (never under `home`). */
  fileDirs: readonly string[];
  random?: () => number;
}

/** A deploy attempt: the sha fetched and what the queue did with it, or why fetching failed. */
export type DeployAttempt = SyncResult | { error: string };

export interface ConnectResult {
  connection: RepoConnection;
  created: boolean;
  /** The first deploy of the branch head. */
  deploy: DeployAttempt;
}

/** Connected repositories: connect, webhooks, polling and the per-app deploy queue. */
export function createRepoSync(deps: RepoSyncDeps) {
  const { store, logger } = deps;
  const tmpDir = join(deps.home, 'tmp', 'repo-sync');
  const access = { tmpDir, knownHosts: join(deps.home, 'ssh', 'known_hosts'), hostPath: deps.hostPath };
  const files = { home: deps.home, allowedDirs: deps.fileDirs };
  const syncer = createSyncer({ ...deps, mirrorsDir: join(deps.home, 'mirrors'), access, files });
  const poller = createPoller({
    intervalOf: (appId) => store.repos.get(appId)?.pollInterval ?? null,
    check: (appId) => syncer.poll(appId),
    onFailure: (appId, error, retryInMs) =>
      syncer.reportFailure(appId, error, `Polling failed, retrying in ${Math.ceil(retryInMs / 1000)}s`),
    random: deps.random,
  });
  let unsubscribe: (() => void) | null = null;

  const attempt = async (appId: string, trigger: 'manual' | 'webhook', userId: string | null, force: boolean) => {
    try {
      return await syncer.sync(appId, trigger, userId, force);
    } catch (e) {
      return { error: syncer.reportFailure(appId, e, `Fetching the branch (${trigger}) failed`) };
    }
  };
  /** Work nobody awaits (webhook fetches, cleanups) must still never reject unseen. */
  const background = (what: string, p: Promise<unknown>): void => {
    p.catch((e) => logger.warn(`repo sync: ${what} failed`, { error: errorMessage(e) }));
  };
  const forget = async (appId: string): Promise<void> => {
    poller.unschedule(appId);
    await syncer.queue.drop(appId);
    await rm(syncer.mirrorOf(appId), { recursive: true, force: true });
  };
  const connectionOf = (app: App): RepoConnection => {
    const conn = store.repos.get(app.id);
    if (!conn) throw notFound('repository connection for app', app.name);
    return conn;
  };

  return {
    /**
     * Resumes polling of every connected app, and offers again each head
     * whose deploy the last server run did not finish; call once the Deployer
     * is wired (and after it marked builds a crash interrupted as failed).
     */
    start(): void {
      for (const dir of [tmpDir, join(deps.home, 'ssh'), join(deps.home, 'mirrors')]) {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      }
      for (const conn of store.repos.listAll()) {
        syncer.queue.seed(conn.appId, store.repos.lastDeployedSha(conn.appId));
        poller.schedule(conn.appId);
        background('resuming an unfinished deploy', syncer.resume(conn.appId));
      }
      unsubscribe = deps.events.subscribe((e) => {
        if (e.type === 'app.destroyed') background('dropping the mirror', forget(e.appId));
      });
    },

    stop(): void {
      unsubscribe?.();
      poller.stop();
      syncer.stop();
    },

    get: (app: App): RepoConnection => connectionOf(app),

    status: (appId: string) => syncer.queue.status(appId),

    /** Connects (or reconnects) the app and deploys the branch head at once. */
    async connect(app: App, input: ConnectInput, userId: string): Promise<ConnectResult> {
      const existing = store.repos.get(app.id);
      const connection = await buildConnection(app, input, existing, async () => {
        try {
          return await generateDeployKey(tmpDir, `cupaas-${app.name}`, { PATH: deps.hostPath });
        } catch (e) {
          logger.error('ssh-keygen failed', { error: errorMessage(e) });
          throw new PlatformError('internal_error', 'Could not generate a deploy key; is ssh-keygen (openssh-client) installed?');
        }
      }, files);
      store.repos.put(connection);
      syncer.queue.seed(app.id, null);
      poller.schedule(app.id);
      const deploy = await attempt(app.id, 'manual', userId, false);
      return { connection, created: !existing, deploy };
    },

    async disconnect(app: App): Promise<void> {
      connectionOf(app);
      store.repos.delete(app.id);
      background('dropping the mirror', forget(app.id));
    },

    /**
     * Deploys the branch head now. Manual triggers rebuild even an already
     * deployed sha (a retry after a failed build); one already queued or
     * building is not started twice.
     */
    async trigger(app: App, userId: string): Promise<SyncResult> {
      connectionOf(app);
      const result = await attempt(app.id, 'manual', userId, true);
      if ('error' in result) throw invalid(result.error);
      return result;
    },

    /** Authenticates and reads a webhook; a push to the branch starts a fetch and deploy in the background. */
    receiveWebhook(app: App, headers: IncomingHttpHeaders, body: Buffer): WebhookOutcome {
      const conn = connectionOf(app);
      const outcome = readWebhook(headers, body, conn.webhookSecret, conn.branch);
      if (outcome.action === 'sync') background('webhook deploy', attempt(app.id, 'webhook', null, false));
      return outcome;
    },
  };
}

export type RepoSync = ReturnType<typeof createRepoSync>;

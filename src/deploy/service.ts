import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { stopLeftoverBuild } from '../build/index.js';
import type { App, Build, Deployer, DeployRequest } from '../domain/index.js';
import { PlatformError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { removeTree } from '../shared/tree.js';
import { openBuildLog, type BuildLog } from './build-log.js';
import type { DeployDeps } from './context.js';
import { executeBuild } from './execute.js';
import { deployPaths } from './paths.js';
import { createBuildQueue } from './queue.js';

export interface StartedDeploy {
  /** The build record as created (pending), for an immediate API answer. */
  build: Build;
  /** Settles with the finished build (succeeded or failed); never rejects. */
  done: Promise<Build>;
}

function newBuild(req: DeployRequest): Build {
  const t = isoTime();
  const src = req.source;
  return {
    id: newId(), appId: req.app.id, status: 'pending', trigger: req.trigger,
    sourceUrl: src.kind === 'tarball' ? src.url : null,
    sourceChecksum: src.kind === 'tarball' ? (src.checksum ?? null) : null,
    sourceVersion: src.kind === 'git' ? src.sha : (src.version ?? null),
    commitMessage: null, commitAuthor: null, buildpacks: [...(req.buildpacks ?? [])], slugId: null, releaseId: null,
    userId: req.userId, failureReason: null, startedAt: null, finishedAt: null, createdAt: t, updatedAt: t,
  };
}

/**
 * The deploy service: the one path from source to release for every
 * trigger (git push, builds API, connected repos). Serialises builds per app,
 * bounds concurrency across apps, and keeps every build's output.
 */
export function createDeployService(deps: DeployDeps) {
  const queue = createBuildQueue(deps.config.build.concurrency);
  const paths = deployPaths(deps.config.home);
  const live = new Map<string, { log: BuildLog; stop: AbortController; done: Promise<Build> }>();

  const start = (req: DeployRequest): StartedDeploy => {
    const build = newBuild(req);
    deps.store.builds.insert(build);
    const stop = new AbortController();
    const log = openBuildLog({
      path: paths.output(req.app.id, build.id),
      maxBytes: deps.config.build.maxOutputBytes,
      onLimit: () => stop.abort(new PlatformError('build_failed', 'Build output passed the size limit (CUPAAS_BUILD_MAX_OUTPUT); make the build quieter.')),
      onLine: req.onOutput,
    });
    const hooks = {
      onWaitForApp: (id: string) => log.say(`-----> Waiting for build ${id} of ${req.app.name} to finish...`),
      onWaitForSlot: (n: number) => log.say(`-----> Waiting for a free build slot (${n} builds running; limit CUPAAS_BUILD_CONCURRENCY)...`),
    };
    const done = queue
      .run(req.app.id, build.id, hooks, () => executeBuild(deps, paths, { build, req, log, stop: stop.signal }))
      .finally(() => {
        log.close();
        live.delete(build.id);
      });
    live.set(build.id, { log, stop, done });
    return { build, done };
  };

  const deployer: Deployer = { deploy: (req) => start(req).done };

  return {
    ...deployer,
    /** Starts a deploy and returns its pending build at once (builds API). */
    start,

    /** Sends a build's output so far, then live chunks until it ends; returns an unsubscribe. */
    followOutput(build: Pick<Build, 'id' | 'appId'>, onChunk: (chunk: string) => void, onEnd: () => void): () => void {
      const running = live.get(build.id);
      if (running) return running.log.follow(onChunk, onEnd);
      const path = paths.output(build.appId, build.id);
      if (existsSync(path)) onChunk(readFileSync(path, 'utf8'));
      onEnd();
      return () => {};
    },

    /** Empties the app's build cache, after any build of it that is running. */
    async clearCache(app: App): Promise<void> {
      const noWait = { onWaitForApp: () => {}, onWaitForSlot: () => {} };
      await queue.run(app.id, `cache-clear-${newId()}`, noWait, () => removeTree(paths.cache(app.id)));
    },

    /** Marks builds a crash left pending as failed; run once at server start. */
    recoverInterrupted(): number {
      const pending = deps.store.builds.listPending();
      for (const b of pending) {
        const stopped = stopLeftoverBuild(paths.work(b.id));
        if (stopped) deps.logger.warn('stopped processes an interrupted build left running', { build: b.id, groups: stopped });
        rmSync(paths.work(b.id), { recursive: true, force: true });
        const reason = 'The server stopped while this build was running; deploy again.';
        deps.store.builds.update(b.id, { status: 'failed', failureReason: reason, finishedAt: isoTime() });
        const path = paths.output(b.appId, b.id);
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        appendFileSync(path, ` !     ${reason}\n`);
      }
      return pending.length;
    },

    /** Stops every running build (their processes too) and waits until they are recorded as failed. */
    async shutdown(): Promise<void> {
      const running = [...live.values()];
      for (const r of running) r.stop.abort(new PlatformError('build_failed', 'The server is shutting down; deploy again once it is back.'));
      await Promise.all(running.map((r) => r.done));
    },

    /** Removes an app's build outputs and cache (its build rows go with the app). */
    forgetApp(appId: string): void {
      rmSync(paths.outputDir(appId), { recursive: true, force: true });
      rmSync(paths.cache(appId), { recursive: true, force: true });
    },
  };
}

export type DeployService = ReturnType<typeof createDeployService>;

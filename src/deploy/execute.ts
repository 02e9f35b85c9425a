import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { appWebUrl } from '../config/index.js';
import type { Build, DeployRequest } from '../domain/index.js';
import { errorMessage, isPlatformError, PlatformError } from '../shared/errors.js';
import { isoTime } from '../shared/time.js';
import { removeTree } from '../shared/tree.js';
import type { BuildLog } from './build-log.js';
import type { DeployContext, DeployDeps } from './context.js';
import type { DeployPaths } from './paths.js';
import { DEPLOY_PIPELINE } from './pipeline.js';
import { pruneSlugs } from './retention.js';

const minutes = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${Math.round(ms / 1000)} seconds`);

/** Stops the build when its time is up, with a message saying so. */
function timeLimit(ms: number): { signal: AbortSignal; clear(): void } {
  const ctl = new AbortController();
  const timer = setTimeout(
    () => ctl.abort(new PlatformError('build_failed', `Build exceeded the time limit of ${minutes(ms)} (CUPAAS_BUILD_TIMEOUT) and was stopped.`)),
    ms,
  );
  return { signal: ctl.signal, clear: () => clearTimeout(timer) };
}

/** Runs the pipeline for one build that holds its app's build turn; never throws. */
export async function executeBuild(
  deps: DeployDeps,
  paths: DeployPaths,
  run: { build: Build; req: DeployRequest; log: BuildLog; stop: AbortSignal },
): Promise<Build> {
  const { build, req, log } = run;
  const limit = timeLimit(deps.config.build.timeoutMs);
  const signal = AbortSignal.any([limit.signal, run.stop, ...(req.signal ? [req.signal] : [])]);
  const work = paths.work(build.id);
  const ctx: DeployContext = {
    deps, req, buildId: build.id, signal,
    dirs: { work, app: join(work, 'app'), cache: paths.cache(req.app.id) },
    say: (line) => log.say(line),
    output: (chunk) => log.write(chunk),
    record: (patch) => void deps.store.builds.update(build.id, patch),
  };
  deps.store.builds.update(build.id, { startedAt: isoTime() });
  deps.events.publish({ type: 'build.started', appId: req.app.id, buildId: build.id });
  let finished: Build;
  try {
    await removeTree(work);
    mkdirSync(ctx.dirs.app, { recursive: true, mode: 0o700 });
    mkdirSync(ctx.dirs.cache, { recursive: true, mode: 0o700 });
    for (const step of DEPLOY_PIPELINE) {
      signal.throwIfAborted();
      deps.logger.debug('deploy step', { app: req.app.name, build: build.id, step: step.name });
      await step.run(ctx);
    }
    const version = ctx.release?.version;
    log.say(`-----> Released v${version}`);
    log.say(`       ${appWebUrl(deps.config, req.app.name)} deployed to cupaas`);
    finished = deps.store.builds.update(build.id, { status: 'succeeded', finishedAt: isoTime() });
    deps.logs?.write(req.app.id, { source: 'heroku', process: 'api', message: `Deploy by build ${build.id}: released v${version}` });
    pruneSlugs(deps.store, deps.slugs, req.app.id, deps.config.build.slugRetention, deps.images);
  } catch (e) {
    const reason = failureReason(e, signal, deps, build.id);
    for (const line of reason.split('\n')) log.say(` !     ${line}`);
    log.say(' !     Build failed; the app keeps running its current release.');
    finished = deps.store.builds.update(build.id, { status: 'failed', failureReason: reason, finishedAt: isoTime() });
    deps.logs?.write(req.app.id, { source: 'heroku', process: 'api', message: `Build ${build.id} failed: ${reason.split('\n')[0]}` });
  } finally {
    limit.clear();
    await removeTree(work);
  }
  deps.events.publish({ type: 'build.finished', appId: req.app.id, buildId: build.id, status: finished.status as 'succeeded' | 'failed' });
  return finished;
}

/** The user-facing reason: the abort's own message (time or output limit), a domain error's, or an internal one. */
function failureReason(e: unknown, signal: AbortSignal, deps: DeployDeps, buildId: string): string {
  if (signal.aborted && isPlatformError(signal.reason)) return signal.reason.message;
  if (isPlatformError(e)) return e.message;
  deps.logger.error('build failed unexpectedly', { build: buildId, error: e instanceof Error ? e.stack : String(e) });
  return `Internal error while building: ${errorMessage(e)}`;
}

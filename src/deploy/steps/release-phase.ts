import { PlatformError } from '../../shared/errors.js';
import type { DeployContext, DeployStep } from '../context.js';
import { required } from '../context.js';
import { newRelease } from './release.js';

/**
 * Heroku's release phase: the Procfile's `release:` command runs once in a
 * one-off dyno with the new slug and the config the release will have,
 * before any dyno of it starts. A non-zero exit records the release as
 * failed and fails the deploy, so the current release keeps serving.
 */
export const releasePhase: DeployStep = {
  name: 'release-phase',
  async run(ctx: DeployContext) {
    const { deps, req } = ctx;
    const slug = required(ctx.slug, 'slug');
    const command = slug.processTypes.release;
    if (!command || !deps.oneOffs) return;
    const plan = required(ctx.plan, 'plan');
    const config = { ...plan.configDefaults, ...deps.store.releases.getConfig(req.app.id) };
    const version = (deps.store.releases.list(req.app.id).at(-1)?.version ?? 0) + 1;
    ctx.say(`-----> Running release command: ${command}`);
    const { name, status } = await deps.oneOffs.runToExit({
      app: req.app, type: 'release', command,
      release: { id: `release-phase-${ctx.buildId}`, version, slug, config },
      onLine: (line) => ctx.say(`       ${line}`),
    });
    if (status === 0) return;
    const reason = `Release command failed: \`${command}\` (${name}) exited with status ${status}`;
    const failed = deps.releases.deploy(req.app, newRelease(ctx, reason));
    ctx.release = failed;
    ctx.record({ releaseId: failed.id });
    throw new PlatformError('build_failed', `${reason}. v${failed.version} was not deployed; fix the command and push again.`);
  },
};

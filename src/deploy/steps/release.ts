import { DEFAULT_DYNO_SIZE } from '../../config/index.js';
import type { NewDeployRelease } from '../../releases/index.js';
import type { DeployContext, DeployStep } from '../context.js';
import { required } from '../context.js';

/** The release this deploy makes (`failedReason`: recorded as failed, never run). */
export function newRelease(ctx: DeployContext, failedReason?: string): NewDeployRelease {
  const { req } = ctx;
  const plan = required(ctx.plan, 'plan');
  const version = ctx.commit?.sha ?? (req.source.kind === 'tarball' ? req.source.version : null);
  return {
    slugId: required(ctx.slug, 'slug').id,
    description: deployDescription(version, ctx.buildId),
    services: plan.services,
    configDefaults: plan.configDefaults,
    userId: req.userId,
    ...(failedReason ? { failedReason } : {}),
  };
}

/** The release description: `Deploy` and the short commit (or source version). */
export function deployDescription(version: string | null | undefined, buildId: string): string {
  const v = version?.trim();
  if (!v) return `Deploy build ${buildId.slice(0, 8)}`;
  return `Deploy ${/^[0-9a-f]{40}$/i.test(v) ? v.slice(0, 7) : v}`;
}

/**
 * Creates the pending release of the new slug and records the formation and
 * the manifest's scheduled jobs.
 * The reconciler runs the release; this step does not wait for it.
 */
export const release: DeployStep = {
  name: 'release',
  async run(ctx: DeployContext) {
    const { deps, req } = ctx;
    const plan = required(ctx.plan, 'plan');
    const slug = required(ctx.slug, 'slug');
    const r = deps.releases.deploy(req.app, newRelease(ctx));
    deps.formation.ensureProcessTypes(req.app, Object.keys(slug.processTypes), plan.formation);
    deps.store.cronJobs.replaceManifestJobs(req.app.id, plan.cron.map((j) => ({ ...j, size: j.size ?? DEFAULT_DYNO_SIZE })));
    ctx.release = r;
    ctx.record({ releaseId: r.id });
  },
};

import type { App, ProcessTypes } from '../../domain/index.js';
import type { FormationDefault } from '../../build/index.js';
import type { NewDeployRelease } from '../../releases/index.js';
import type { DeployContext, DeployDeps, DeployStep } from '../context.js';
import { required } from '../context.js';

const DEFAULT_SIZE = 'standard-1x';

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
 * Records formation intent for each process type of the slug: a new type
 * gets a row (web runs one dyno, others none, unless app.json says so).
 * Existing rows, and types the slug no longer has, are left as they are.
 */
function ensureFormation(deps: DeployDeps, app: App, types: ProcessTypes, defaults: Readonly<Record<string, FormationDefault>>) {
  for (const type of Object.keys(types)) {
    if (type === 'release' || deps.store.formations.get(app.id, type)) continue;
    const f = deps.store.formations.upsert(app.id, type, defaults[type] ?? {}, {
      quantity: type === 'web' ? 1 : 0, size: DEFAULT_SIZE,
    });
    deps.events.publish({ type: 'formation.changed', appId: app.id, processType: type, quantity: f.quantity, size: f.size });
  }
}

/**
 * Creates the pending release of the new slug and records the formation.
 * The reconciler runs the release; this step does not wait for it.
 */
export const release: DeployStep = {
  name: 'release',
  async run(ctx: DeployContext) {
    const { deps, req } = ctx;
    const plan = required(ctx.plan, 'plan');
    const slug = required(ctx.slug, 'slug');
    const r = deps.releases.deploy(req.app, newRelease(ctx));
    ensureFormation(deps, req.app, slug.processTypes, plan.formation);
    ctx.release = r;
    ctx.record({ releaseId: r.id });
  },
};

import { planFromManifests, readManifests } from '../../build/index.js';
import { SERVICE_NAMES } from '../../domain/index.js';
import type { DeployContext, DeployStep } from '../context.js';
import { composeOf } from './compose.js';
import { dockerfileOf } from './dockerfile.js';

/** Reads the manifests, decides the buildpacks and says which app this is. */
export const detect: DeployStep = {
  name: 'detect',
  async run(ctx: DeployContext) {
    const { deps, req } = ctx;
    // Without an add-on provider wired in, every service in the catalogue is accepted.
    const services = deps.services?.services() ?? SERVICE_NAMES;
    const manifests = readManifests(ctx.dirs.app, services);
    for (const w of manifests.warnings) ctx.say(` !     Warning: ${w}`);
    const plan = planFromManifests(manifests, deps.store.releases.getConfig(req.app.id), req.buildpacks ?? []);
    ctx.manifests = manifests;
    ctx.plan = plan;
    const compose = composeOf(ctx);
    if (compose) {
      ctx.say('-----> Compose app detected');
      ctx.compose = compose;
      ctx.buildpacks = [];
      ctx.record({ buildpacks: [] });
      return;
    }
    const container = dockerfileOf(ctx);
    if (container) {
      ctx.say('-----> Dockerfile app detected');
      ctx.container = container;
      ctx.buildpacks = [];
      ctx.record({ buildpacks: [] });
      return;
    }
    const buildpacks = await deps.builder.select({
      appDir: ctx.dirs.app, workDir: ctx.dirs.work, config: deps.store.releases.getConfig(req.app.id),
      refs: plan.buildpacks, onOutput: ctx.output, signal: ctx.signal,
    });
    for (const b of buildpacks) ctx.say(`-----> ${b.name} app detected`);
    ctx.buildpacks = buildpacks;
    ctx.record({ buildpacks: buildpacks.map((b) => b.buildpack.url) });
  },
};

import type { DeployContext, DeployStep } from '../context.js';
import { required } from '../context.js';
import { buildCompose } from './compose.js';
import { buildContainer } from './dockerfile.js';

/** Runs the buildpacks' compile with the app's cache and config (the Procfile wins over defaults), or builds the app's images. */
export const build: DeployStep = {
  name: 'build',
  async run(ctx: DeployContext) {
    if (ctx.compose) return buildCompose(ctx, ctx.compose);
    if (ctx.container) return buildContainer(ctx, ctx.container);
    const { deps, req } = ctx;
    const plan = required(ctx.plan, 'plan');
    // app.json env defaults are visible to the build, as they will be to the release.
    const config = { ...plan.configDefaults, ...deps.store.releases.getConfig(req.app.id) };
    const result = await deps.builder.compile({
      appDir: ctx.dirs.app, workDir: ctx.dirs.work, cacheDir: ctx.dirs.cache, config,
      buildpacks: required(ctx.buildpacks, 'buildpacks'), onOutput: ctx.output, signal: ctx.signal,
    });
    const procfile = ctx.manifests?.procfile ?? {};
    const processTypes = { ...result.defaultProcessTypes, ...procfile };
    const defaults = Object.keys(result.defaultProcessTypes).filter((t) => !(t in procfile));
    ctx.say('-----> Discovering process types');
    if (Object.keys(procfile).length) ctx.say(`       Procfile declares types     -> ${Object.keys(procfile).join(', ')}`);
    if (defaults.length) ctx.say(`       Default types for buildpack -> ${defaults.join(', ')}`);
    if (!Object.keys(processTypes).length) {
      ctx.say(' !     Warning: no process types; add a Procfile such as "web: <command>" to run anything.');
    }
    ctx.processTypes = processTypes;
  },
};

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isRepositoryComponent } from '../../images/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { ContainerBuild, DeployContext } from '../context.js';
import { required } from '../context.js';

/**
 * The runtimes whose dynos each run their own process type's image; the
 * kubernetes driver applies one image per app (design/021), so an app with
 * an image per process type (heroku.yml, Compose) is refused there.
 */
export const PROCESS_IMAGE_RUNTIMES: readonly string[] = ['docker', 'swarm'];

/**
 * The Dockerfiles an app is built from, when the platform runs images: those
 * `heroku.yml` `build.docker` names per process type (Heroku's one image per
 * process type), else one at the app's root.
 */
export function dockerfileOf(ctx: DeployContext): ContainerBuild | null {
  if (!ctx.deps.images) return null;
  const listed = ctx.manifests?.herokuYml?.build?.docker ?? {};
  const main = listed.web ?? Object.values(listed)[0] ?? 'Dockerfile';
  for (const file of new Set([main, ...Object.values(listed)])) {
    const path = join(ctx.dirs.app, file);
    if (existsSync(path) && statSync(path).isFile()) continue;
    if (Object.keys(listed).length) throw new PlatformError('build_failed', `heroku.yml: build.docker names ${file}, which the app does not have`);
    return null;
  }
  const others = Object.fromEntries(Object.entries(listed).filter(([, file]) => file !== main));
  const runtime = ctx.deps.config.runtimeDriver;
  if (Object.keys(others).length && !PROCESS_IMAGE_RUNTIMES.includes(runtime)) {
    throw new PlatformError('build_failed', `heroku.yml: process types with Dockerfiles of their own run on the docker or swarm runtime; this platform runs the ${runtime} runtime, which runs one image per app`);
  }
  const bad = Object.keys(others).find((t) => !isRepositoryComponent(t));
  if (bad) {
    throw new PlatformError('build_failed', `heroku.yml: process type "${bad}" has a Dockerfile of its own, so it names an image: use lowercase letters, digits, and . _ - between them`);
  }
  return { dockerfile: main, others };
}

/** Process types of an image build: heroku.yml `run`, else the Procfile, else those `build.docker` lists (or `web`) running the image's command. */
function containerProcessTypes(ctx: DeployContext): Record<string, string> {
  const yml = ctx.manifests?.herokuYml;
  if (yml?.run && Object.keys(yml.run).length) return { ...yml.run };
  const procfile = ctx.manifests?.procfile ?? {};
  if (Object.keys(procfile).length) return { ...procfile };
  const listed = Object.keys(yml?.build?.docker ?? {});
  return Object.fromEntries((listed.length ? listed : ['web']).map((t) => [t, '']));
}

/**
 * Builds the app's Dockerfiles through the engine, each file once (output as
 * build lines, config vars its ARGs declare as build args, the deploy's time
 * limit and the build memory limit; heroku.yml `build.config` as build args too).
 */
export async function buildContainer(ctx: DeployContext, build: ContainerBuild): Promise<void> {
  const images = required(ctx.deps.images, 'images');
  const plan = required(ctx.plan, 'plan');
  const config = { ...plan.configDefaults, ...ctx.deps.store.releases.getConfig(ctx.req.app.id), ...ctx.manifests?.herokuYml?.build?.config };
  const built = new Map<string, string>();
  for (const dockerfile of new Set([build.dockerfile, ...Object.values(build.others)])) {
    ctx.say(`-----> Building ${dockerfile === 'Dockerfile' ? 'the Dockerfile' : dockerfile}`);
    const id = await images.buildDockerfile({
      appId: ctx.req.app.id, dir: ctx.dirs.app, dockerfile, dockerfileText: readFileSync(join(ctx.dirs.app, dockerfile), 'utf8'),
      config, signal: ctx.signal, onLine: (line) => ctx.output(`${line}\n`),
    });
    built.set(dockerfile, id);
  }
  ctx.processTypes = containerProcessTypes(ctx);
  ctx.say('-----> Discovering process types');
  for (const [type, command] of Object.entries(ctx.processTypes)) ctx.say(`       ${type}: ${command || "the image's command"}`);
  ctx.containerImage = built.get(build.dockerfile);
  ctx.processImages = Object.fromEntries(Object.entries(build.others).map(([type, file]) => [type, { imageId: built.get(file) as string }]));
}

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PlatformError } from '../../shared/errors.js';
import type { DeployContext } from '../context.js';
import { required } from '../context.js';

/**
 * The Dockerfile an app is built from, when the platform runs images: the one
 * `heroku.yml` `build.docker` names (one image per app: every process type
 * must name the same file), else one at the app's root.
 */
export function dockerfileOf(ctx: DeployContext): string | null {
  if (!ctx.deps.images) return null;
  const named = [...new Set(Object.values(ctx.manifests?.herokuYml?.build?.docker ?? {}))];
  if (named.length > 1) {
    throw new PlatformError(
      'build_failed',
      `heroku.yml: build.docker names ${named.length} Dockerfiles; cupaas builds one image per app, so point every process type at the same Dockerfile`,
    );
  }
  const file = named[0] ?? 'Dockerfile';
  const path = join(ctx.dirs.app, file);
  if (existsSync(path) && statSync(path).isFile()) return file;
  if (named.length) throw new PlatformError('build_failed', `heroku.yml: build.docker names ${file}, which the app does not have`);
  return null;
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
 * Builds the app's Dockerfile through the engine (output as build lines,
 * config vars its ARGs declare as build args, the deploy's time limit and the
 * build memory limit; heroku.yml `build.config` as build args too).
 */
export async function buildContainer(ctx: DeployContext, dockerfile: string): Promise<void> {
  const images = required(ctx.deps.images, 'images');
  const plan = required(ctx.plan, 'plan');
  ctx.say('-----> Building the Dockerfile');
  const id = await images.buildDockerfile({
    appId: ctx.req.app.id, dir: ctx.dirs.app, dockerfile, dockerfileText: readFileSync(join(ctx.dirs.app, dockerfile), 'utf8'),
    config: { ...plan.configDefaults, ...ctx.deps.store.releases.getConfig(ctx.req.app.id), ...ctx.manifests?.herokuYml?.build?.config },
    signal: ctx.signal,
    onLine: (line) => ctx.output(`${line}\n`),
  });
  ctx.processTypes = containerProcessTypes(ctx);
  ctx.say('-----> Discovering process types');
  for (const [type, command] of Object.entries(ctx.processTypes)) ctx.say(`       ${type}: ${command || "the image's command"}`);
  ctx.containerImage = id;
}

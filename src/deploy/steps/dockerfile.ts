import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployContext } from '../context.js';
import { required } from '../context.js';

/** The Dockerfile an app is built from, when the platform runs images and the app has one at its root. */
export function dockerfileOf(ctx: DeployContext): string | null {
  if (!ctx.deps.images) return null;
  const path = join(ctx.dirs.app, 'Dockerfile');
  return existsSync(path) && statSync(path).isFile() ? 'Dockerfile' : null;
}

/**
 * Builds the app's Dockerfile through the engine (output as build lines,
 * config vars its ARGs declare as build args, the deploy's time limit and the
 * build memory limit). Process types: the Procfile's, else `web` runs the
 * image's own command.
 */
export async function buildContainer(ctx: DeployContext, dockerfile: string): Promise<void> {
  const images = required(ctx.deps.images, 'images');
  const plan = required(ctx.plan, 'plan');
  ctx.say('-----> Building the Dockerfile');
  const id = await images.buildDockerfile({
    appId: ctx.req.app.id, dir: ctx.dirs.app, dockerfile, dockerfileText: readFileSync(join(ctx.dirs.app, dockerfile), 'utf8'),
    config: { ...plan.configDefaults, ...ctx.deps.store.releases.getConfig(ctx.req.app.id) }, signal: ctx.signal,
    onLine: (line) => ctx.output(`${line}\n`),
  });
  const procfile = ctx.manifests?.procfile ?? {};
  ctx.processTypes = Object.keys(procfile).length ? { ...procfile } : { web: '' };
  ctx.say('-----> Discovering process types');
  ctx.say(Object.keys(procfile).length ? `       Procfile declares types -> ${Object.keys(procfile).join(', ')}` : "       web runs the image's command");
  ctx.containerImage = id;
}

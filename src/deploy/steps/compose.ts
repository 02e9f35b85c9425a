import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCompose, readComposeFile, type ComposeApp, type ComposeProcess } from '../../build/index.js';
import type { ProcessImage, ProcessRun } from '../../domain/index.js';
import { isRepositoryComponent } from '../../images/index.js';
import { errorMessage, PlatformError } from '../../shared/errors.js';
import type { DeployContext } from '../context.js';
import { required } from '../context.js';
import { PROCESS_IMAGE_RUNTIMES } from './dockerfile.js';

const failed = (message: string) => new PlatformError('build_failed', message);

/**
 * The app's compose file read as one app, when it is a Compose app: a root
 * `compose.yaml` (or `docker-compose.yml`) and no `Procfile` or `heroku.yml`,
 * which say how to run the app the Heroku way and win. Refused, with the
 * runtime to use, where dynos are not containers.
 */
export function composeOf(ctx: DeployContext): ComposeApp | null {
  if (ctx.manifests?.procfile || ctx.manifests?.herokuYml) return null;
  const found = readComposeFile(ctx.dirs.app);
  if (!found) return null;
  const runtime = ctx.deps.config.runtimeDriver;
  if (!ctx.deps.images || !PROCESS_IMAGE_RUNTIMES.includes(runtime)) {
    throw failed(
      `${found.file}: Compose apps run as containers, on the docker or swarm runtime; this platform runs the ${runtime} runtime. ` +
        'Start the server with --runtime docker (or swarm), or add a Procfile to deploy the app with buildpacks.',
    );
  }
  return parseCompose(found.text, found.file, ctx.deps.store.releases.getConfig(ctx.req.app.id));
}

/** A build context directory or Dockerfile inside the app's source, symlinks resolved; refused otherwise. */
function inside(appDir: string, path: string, what: string): string {
  const real = existsSync(path) ? realpathSync(path) : null;
  const rel = real === null ? null : relative(realpathSync(appDir), real);
  if (rel === null || rel.startsWith('..')) throw failed(`${what} must exist inside the repository`);
  return real as string;
}

/** Builds (or finds) one process's image; equal builds are made once. */
async function imageOf(ctx: DeployContext, p: ComposeProcess, built: Map<string, Promise<string>>): Promise<string> {
  const images = required(ctx.deps.images, 'images');
  const src = p.source;
  if (src.kind === 'image') {
    ctx.say(`-----> ${p.service}: using image ${src.image}`);
    return images.findImage(src.image, ctx.req.app.id).catch((e: unknown) => {
      throw failed(`services.${p.service}: ${errorMessage(e)}`);
    });
  }
  const key = JSON.stringify(src);
  const known = built.get(key);
  if (known) return known;
  const dir = inside(ctx.dirs.app, join(ctx.dirs.app, src.context), `services.${p.service}.build: the context "${src.context}"`);
  const dockerfile = src.dockerfile ?? 'Dockerfile';
  const file = inside(ctx.dirs.app, join(dir, dockerfile), `services.${p.service}.build: the Dockerfile "${dockerfile}"`);
  if (!statSync(file).isFile()) throw failed(`services.${p.service}.build: "${dockerfile}" is not a file`);
  ctx.say(`-----> ${p.service}: building ${src.context}/${dockerfile}`);
  const id = images.buildDockerfile({
    appId: ctx.req.app.id, dir, dockerfile, dockerfileText: readFileSync(file, 'utf8'), args: src.args, target: src.target,
    config: { ...required(ctx.plan, 'plan').configDefaults, ...ctx.deps.store.releases.getConfig(ctx.req.app.id) },
    signal: ctx.signal, onLine: (line) => ctx.output(`${line}\n`),
  });
  built.set(key, id);
  return id;
}

/**
 * Builds a Compose app: each `build:` service by the engine (as a Dockerfile
 * app is built), each `image:` service as it is, then the database and cache
 * services as add-ons of the app; the release records an image, argv, port
 * and env per process type (references to an add-on by its URL config var).
 */
export async function buildCompose(ctx: DeployContext, compose: ComposeApp): Promise<void> {
  ctx.say(`-----> Compose app: ${compose.processes.map((p) => `${p.service} (${p.type})`).join(', ')}`);
  for (const w of compose.warnings) ctx.say(` !     Warning: ${w}`);
  if (!compose.processes.length) throw failed(`${compose.file}: every service became an add-on; nothing would run`);
  const bad = compose.processes.find((p) => !isRepositoryComponent(p.type));
  if (bad) {
    // Each process type's image is pushed as `REGISTRY/APP/TYPE:vN`, so the type names a repository.
    throw failed(`services.${bad.service}: the process type "${bad.type}" names its image's repository: use lowercase letters, digits, and . _ - between them`);
  }
  const built = new Map<string, Promise<string>>();
  const ids = new Map<string, string>();
  // One at a time: builds share the engine and the build memory limit.
  for (const p of compose.processes) ids.set(p.type, await imageOf(ctx, p, built));
  const vars = await provisionAddons(ctx, compose);
  const processImages: Record<string, ProcessImage> = {};
  for (const p of compose.processes) {
    const env: ProcessRun['env'] = Object.fromEntries(
      Object.entries(p.env).map(([k, v]) => [k, typeof v === 'string' ? v : { configVar: vars[v.addon] as string, part: v.part }]),
    );
    processImages[p.type] = {
      imageId: ids.get(p.type) as string,
      ...(p.source.kind === 'image' ? { external: true } : {}),
      run: { entrypoint: p.entrypoint, command: p.command, port: p.port, env, dependsOn: p.dependsOn },
    };
  }
  ctx.processImages = processImages;
  ctx.processTypes = Object.fromEntries(compose.processes.map((p) => [p.type, [...(p.entrypoint ?? []), ...(p.command ?? [])].join(' ')]));
  ctx.containerImage = (processImages.web ?? Object.values(processImages)[0])?.imageId;
  ctx.say('-----> Discovering process types');
  for (const p of compose.processes) {
    ctx.say(`       ${p.type}: ${ctx.processTypes[p.type] || "the image's command"}${p.dependsOn.length ? ` (after ${p.dependsOn.join(', ')})` : ''}`);
  }
  // Compose runs one of every service unless told otherwise; app.json `formation` still wins.
  const plan = required(ctx.plan, 'plan');
  ctx.plan = { ...plan, formation: { ...Object.fromEntries(compose.processes.map((p) => [p.type, { quantity: p.quantity }])), ...plan.formation } };
}

/** Provisions the add-ons that replace compose services; the URL config var of each, by compose service name. */
async function provisionAddons(ctx: DeployContext, compose: ComposeApp): Promise<Record<string, string>> {
  if (!compose.addons.length) return {};
  const provisioner = ctx.deps.services;
  if (!provisioner) {
    throw failed(`${compose.file}: add-ons are not available on this platform; add \`x-cupaas: {addons: false}\` to run the database services as containers`);
  }
  ctx.say(`-----> Add-ons for ${compose.addons.map((a) => `${a.service} (${a.kind})`).join(', ')}`);
  const byKind = await provisioner.ensure(ctx.req.app, [...new Set(compose.addons.map((a) => a.kind))], (line) => ctx.say(`       ${line}`));
  return Object.fromEntries(compose.addons.map((a) => [a.service, byKind[a.kind] as string]));
}

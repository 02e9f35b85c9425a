import { cpSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PlatformError } from '../shared/errors.js';
import { directoryBuildpack, type Buildpack, type BuildpackRun } from './buildpack.js';
import { allowedBuildpackPath } from './buildpack-path.js';
import { execInGroup } from './internal/exec.js';

const BUILTIN_ROOT = fileURLToPath(new URL('../../buildpacks/', import.meta.url));

/** Built-in buildpacks in detection order; also the runtimes `.cupaas` may force. */
export const BUILTIN_BUILDPACKS = ['node', 'python', 'static', 'generic'] as const;
export type BuiltinBuildpack = (typeof BUILTIN_BUILDPACKS)[number];

/** Names users may know from Heroku for the same built-ins. */
const ALIASES: Readonly<Record<string, BuiltinBuildpack>> = {
  nodejs: 'node',
  'heroku/nodejs': 'node',
  'heroku/python': 'python',
  'heroku/static': 'static',
  procfile: 'generic',
};

/** The built-in a name refers to (`node`, `heroku/nodejs`, ...), if any. */
export function builtinNamed(name: string): BuiltinBuildpack | undefined {
  const n = name.trim().toLowerCase();
  return (BUILTIN_BUILDPACKS as readonly string[]).includes(n) ? (n as BuiltinBuildpack) : ALIASES[n];
}

export const builtinBuildpack = (name: BuiltinBuildpack): Buildpack =>
  directoryBuildpack(name, join(BUILTIN_ROOT, name));

const REMOTE_GIT_URL = /^(https?:\/\/|ssh:\/\/|git@)/;

/**
 * Turns what a user wrote (a built-in's name, a git URL with an optional
 * `#ref`, or a path) into a buildpack. Git buildpacks are cloned into
 * `workDir` with the real git; paths and `file://` URLs must pass
 * `allowedBuildpackPath` (inside the app, or in a directory the admin allows).
 */
export async function resolveBuildpack(
  ref: string,
  ctx: { appDir: string; workDir: string; run: BuildpackRun; allowedDirs: readonly string[] },
): Promise<Buildpack> {
  const builtin = builtinNamed(ref);
  if (builtin) return builtinBuildpack(builtin);
  if (REMOTE_GIT_URL.test(ref)) return cloneBuildpack(ref, ctx.workDir, ctx.run);
  const [location, branch] = ref.split('#', 2) as [string, string | undefined];
  const dir = allowedBuildpackPath(location, { appDir: ctx.appDir, allowedDirs: ctx.allowedDirs });
  if (!statSync(dir).isDirectory()) {
    throw new PlatformError('build_failed', `Buildpack "${ref}" is not a directory. Use a built-in (${BUILTIN_BUILDPACKS.join(', ')}), a git URL, or a directory.`);
  }
  // A file:// URL names a git repository (cloned, so a branch can be picked); a path is copied, so the
  // build may write its `export` there without touching the admin's (or the app's) original.
  if (/^file:/i.test(location)) return cloneBuildpack(`${pathToFileURL(dir).href}${branch ? `#${branch}` : ''}`, ctx.workDir, ctx.run, ref);
  const copy = scratchDir(ctx.workDir);
  cpSync(dir, copy, { recursive: true, verbatimSymlinks: true });
  return directoryBuildpack(ref, copy, true);
}

/** A fresh directory name for a buildpack in the build's work dir. */
const scratchDir = (workDir: string): string => {
  mkdirSync(workDir, { recursive: true });
  return join(workDir, `buildpack-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
};

async function cloneBuildpack(source: string, workDir: string, run: BuildpackRun, ref = source): Promise<Buildpack> {
  const [url, branch] = source.split('#', 2) as [string, string | undefined];
  const dest = scratchDir(workDir);
  run.onOutput(`-----> Fetching buildpack ${ref}\n`);
  let out = '';
  const argv = ['git', 'clone', '--quiet', '--depth', '1', ...(branch ? ['--branch', branch] : []), '--', url, dest];
  // Not the build env: git on the host gets only what it needs, and no transport that runs commands (ext::).
  const env = {
    PATH: run.env.PATH ?? '', HOME: workDir, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1',
    GIT_ALLOW_PROTOCOL: url.startsWith('file:') ? 'file' : 'http:https:ssh',
  };
  const code = await execInGroup(argv, { cwd: workDir, env, signal: run.signal, onOutput: (c) => (out += c) });
  if (code !== 0) {
    throw new PlatformError('build_failed', `Could not fetch buildpack ${ref}: ${out.trim() || `git exited ${code}`}`);
  }
  return directoryBuildpack(ref, dest, true);
}

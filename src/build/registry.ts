import { existsSync, mkdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlatformError } from '../shared/errors.js';
import { directoryBuildpack, type Buildpack, type BuildpackRun } from './buildpack.js';
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

const GIT_URL = /^(https?:\/\/|file:\/\/|ssh:\/\/|git@)/;

/**
 * Turns what a user wrote (a built-in's name, a git URL with an optional
 * `#ref`, or a path; relative paths are inside the app) into a buildpack.
 * Git buildpacks are cloned into `workDir` with the real git.
 */
export async function resolveBuildpack(
  ref: string,
  ctx: { appDir: string; workDir: string; run: BuildpackRun },
): Promise<Buildpack> {
  const builtin = builtinNamed(ref);
  if (builtin) return builtinBuildpack(builtin);
  if (GIT_URL.test(ref)) return cloneBuildpack(ref, ctx.workDir, ctx.run);
  const dir = isAbsolute(ref) ? ref : resolve(ctx.appDir, ref);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new PlatformError(
      'build_failed',
      `Unknown buildpack "${ref}". Use a built-in (${BUILTIN_BUILDPACKS.join(', ')}), a git URL, or a directory path.`,
    );
  }
  return directoryBuildpack(ref, dir);
}

async function cloneBuildpack(ref: string, workDir: string, run: BuildpackRun): Promise<Buildpack> {
  const [url, branch] = ref.split('#', 2) as [string, string | undefined];
  mkdirSync(workDir, { recursive: true });
  const dest = join(workDir, `buildpack-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  run.onOutput(`-----> Fetching buildpack ${ref}\n`);
  let out = '';
  const argv = ['git', 'clone', '--quiet', '--depth', '1', ...(branch ? ['--branch', branch] : []), '--', url, dest];
  const env = { ...run.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' };
  const code = await execInGroup(argv, { cwd: workDir, env, signal: run.signal, onOutput: (c) => (out += c) });
  if (code !== 0) {
    throw new PlatformError('build_failed', `Could not fetch buildpack ${ref}: ${out.trim() || `git exited ${code}`}`);
  }
  return directoryBuildpack(ref, dest);
}

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigVars, ProcessTypes } from '../domain/index.js';
import { PlatformError } from '../shared/errors.js';
import type { Buildpack, BuildpackRun } from './buildpack.js';
import { buildEnv, writeEnvDir, type BuildEnvOptions } from './env.js';
import { execInGroup, killLeftovers } from './internal/exec.js';
import { BUILTIN_BUILDPACKS, builtinBuildpack, resolveBuildpack } from './registry.js';

export type BuilderOptions = BuildEnvOptions;

interface BuildRequestBase {
  /** The app's source; compiled in place, it becomes the slug. */
  appDir: string;
  /** Scratch space of this build (ENV_DIR, cloned buildpacks); the caller removes it. */
  workDir: string;
  config: ConfigVars;
  onOutput(chunk: string): void;
  signal: AbortSignal;
}

export interface SelectRequest extends BuildRequestBase {
  /** Buildpacks the app asked for, in order; empty to detect among the built-ins. */
  refs: readonly string[];
}

export interface SelectedBuildpack {
  buildpack: Buildpack;
  /** What its `bin/detect` printed, e.g. `Node.js`. */
  name: string;
}

export interface CompileRequest extends BuildRequestBase {
  /** Kept between builds of the app. */
  cacheDir: string;
  buildpacks: readonly SelectedBuildpack[];
}

export interface CompileResult {
  /** From the last buildpack's `bin/release`; a Procfile overrides them. */
  defaultProcessTypes: ProcessTypes;
}

/** Runs classic buildpacks over an app directory. */
export interface Builder {
  select(req: SelectRequest): Promise<SelectedBuildpack[]>;
  compile(req: CompileRequest): Promise<CompileResult>;
}

const pidFileOf = (workDir: string) => join(workDir, 'pids');

/** Stops whatever a build in `workDir` left running when its server died; returns how many groups. */
export const stopLeftoverBuild = (workDir: string): number => killLeftovers(pidFileOf(workDir), workDir);

export function createBuilder(opts: BuilderOptions): Builder {
  const runFor = (req: BuildRequestBase, extraEnv: Record<string, string> = {}): BuildpackRun => {
    mkdirSync(req.workDir, { recursive: true, mode: 0o700 });
    return {
      env: { ...buildEnv(req.appDir, req.config, opts), ...extraEnv },
      onOutput: req.onOutput,
      signal: req.signal,
      pidFile: pidFileOf(req.workDir),
    };
  };

  const detectAmongBuiltins = async (req: SelectRequest): Promise<SelectedBuildpack[]> => {
    const run = runFor(req);
    for (const name of BUILTIN_BUILDPACKS) {
      const buildpack = builtinBuildpack(name);
      const detected = await buildpack.detect(req.appDir, run);
      if (detected) return [{ buildpack, name: detected }];
    }
    throw new PlatformError(
      'build_failed',
      'No buildpack applies to this app. Add a package.json (Node.js), requirements.txt or pyproject.toml (Python), ' +
        'an index.html (static site) or a Procfile, or set `runtime:` in .cupaas or `buildpacks` in app.json.',
    );
  };

  const resolveRequested = async (req: SelectRequest): Promise<SelectedBuildpack[]> => {
    const run = runFor(req);
    const selected: SelectedBuildpack[] = [];
    for (const ref of req.refs) {
      const buildpack = await resolveBuildpack(ref, { appDir: req.appDir, workDir: req.workDir, run });
      const name = await buildpack.detect(req.appDir, run);
      if (!name) throw new PlatformError('build_failed', `This app is not compatible with the buildpack ${ref} (its bin/detect refused it).`);
      selected.push({ buildpack, name });
    }
    return selected;
  };

  return {
    select: (req) => (req.refs.length ? resolveRequested(req) : detectAmongBuiltins(req)),

    async compile(req) {
      const envDir = join(req.workDir, 'env');
      writeEnvDir(envDir, req.config);
      let exported: Record<string, string> = {};
      for (const { buildpack } of req.buildpacks) {
        const run = runFor(req, exported);
        await buildpack.compile({ build: req.appDir, cache: req.cacheDir, env: envDir }, run);
        exported = await readExports(buildpack, run, exported);
      }
      const last = req.buildpacks[req.buildpacks.length - 1];
      if (!last) throw new Error('compile: no buildpack selected');
      return { defaultProcessTypes: await last.buildpack.release(req.appDir, runFor(req, exported)) };
    },
  };
}

/**
 * A buildpack may leave `export` (shell `export VAR=...` lines) in its own
 * directory for the buildpacks after it: the multi-buildpack convention.
 */
async function readExports(
  buildpack: Buildpack,
  run: BuildpackRun,
  previous: Record<string, string>,
): Promise<Record<string, string>> {
  const file = join(buildpack.dir, 'export');
  if (!existsSync(file)) return previous;
  let out = '';
  const script = 'set -a; . "$1" >/dev/null 2>&1; env -0';
  const code = await execInGroup(['bash', '-c', script, 'export', file], {
    cwd: buildpack.dir, env: run.env, signal: run.signal, onOutput: (c) => (out += c),
  });
  if (code !== 0) throw new PlatformError('build_failed', `Buildpack ${buildpack.url}: its export file failed to load.`);
  const next = { ...previous };
  for (const entry of out.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0 && run.env[entry.slice(0, eq)] !== entry.slice(eq + 1)) next[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return next;
}

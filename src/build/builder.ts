import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DYNO_SIZES, type ResolvedConfig } from '../config/index.js';
import type { ConfigVars, ProcessTypes } from '../domain/index.js';
import type { SandboxConfig } from '../sandbox/index.js';
import { PlatformError } from '../shared/errors.js';
import { runIsolated, type Buildpack, type BuildpackRun } from './buildpack.js';
import { buildConfig, buildEnv, writeEnvDir, type BuildEnvOptions } from './env.js';
import { killLeftovers } from './internal/exec.js';
import { createIsolation, releaseLeftoverCgroups } from './isolation/isolation.js';
import { planMirrors } from './isolation/mirrors.js';
import { BUILTIN_BUILDPACKS, builtinBuildpack, resolveBuildpack } from './registry.js';

export interface BuilderOptions extends BuildEnvOptions {
  /** The platform's sandbox settings, shared with dynos; absent or `off`: builds run as plain processes and say so. */
  sandbox?: SandboxConfig;
  /** The build size (its limits) and the directories buildpacks may be used from by path. */
  build?: Pick<ResolvedConfig['build'], 'size' | 'buildpackDirs'>;
}

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
export function stopLeftoverBuild(workDir: string): number {
  const killed = killLeftovers(pidFileOf(workDir), workDir);
  releaseLeftoverCgroups(workDir);
  return killed;
}

export function createBuilder(opts: BuilderOptions): Builder {
  const size = DYNO_SIZES.find((s) => s.name === (opts.build?.size ?? 'standard-1x'));
  if (!size) throw new Error(`Unknown build size "${opts.build?.size}". Use one of: ${DYNO_SIZES.map((s) => s.name).join(', ')}.`);
  const mirrors = planMirrors(opts);
  const isolation = createIsolation({ sandbox: opts.sandbox ?? null, size, mirrors });
  const envOptions = { ...opts, ...mirrors.env };

  const runFor = (req: BuildRequestBase, extraEnv: Record<string, string> = {}): BuildpackRun => {
    mkdirSync(req.workDir, { recursive: true, mode: 0o700 });
    return {
      env: { ...buildEnv(req.appDir, req.config, envOptions), ...extraEnv },
      onOutput: req.onOutput,
      signal: req.signal,
      pidFile: pidFileOf(req.workDir),
      sandbox: { isolation, workDir: req.workDir },
    };
  };

  /** Says, first thing in the build output, what the build runs in and which config vars it ignores. */
  const announce = async (req: BuildRequestBase) => {
    const { isolation: kind, warning } = await isolation.describe();
    if (kind === 'none') {
      req.onOutput(` !     Warning: this build runs WITHOUT a sandbox (${warning}): its code runs as the server's user.\n`);
      req.onOutput(' !     Run the server as root with bubblewrap installed; see `cupaas server --doctor`.\n');
    } else if (warning) {
      req.onOutput(` !     Warning: ${warning}\n`);
    }
    const { ignored } = buildConfig(req.config);
    if (ignored.length) {
      req.onOutput(` !     Warning: config vars ignored during the build (they change how shells and runtimes start): ${ignored.join(', ')}\n`);
    }
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
      const buildpack = await resolveBuildpack(ref, { appDir: req.appDir, workDir: req.workDir, run, allowedDirs: opts.build?.buildpackDirs ?? [] });
      const name = await buildpack.detect(req.appDir, run);
      if (!name) throw new PlatformError('build_failed', `This app is not compatible with the buildpack ${ref} (its bin/detect refused it).`);
      selected.push({ buildpack, name });
    }
    return selected;
  };

  return {
    async select(req) {
      await announce(req);
      return req.refs.length ? resolveRequested(req) : detectAmongBuiltins(req);
    },

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
 * directory for the buildpacks after it: the multi-buildpack convention
 * (PATH, LD_LIBRARY_PATH... for the tools it installed). It is the
 * buildpack's own code, sourced in the sandbox like any of its programs, so
 * it is not filtered like config vars, which anyone with API access sets.
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
  const code = await runIsolated(['bash', '-c', script, 'export', file], run, { cwd: buildpack.dir, writable: [], readable: [buildpack.dir] }, (c) => (out += c));
  if (code !== 0) throw new PlatformError('build_failed', `Buildpack ${buildpack.url}: its export file failed to load.`);
  const next = { ...previous };
  for (const entry of out.split('\0')) {
    const eq = entry.indexOf('=');
    const [key, value] = [entry.slice(0, eq), entry.slice(eq + 1)];
    if (eq > 0 && run.env[key] !== value) next[key] = value;
  }
  return next;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { yaml } from '../shared/occasional.js';
import * as z from 'zod';
import { PROCESS_TYPE, type ProcessTypes } from '../domain/index.js';
import { errorMessage, PlatformError } from '../shared/errors.js';
import { plainIsolation, type Isolation } from './isolation/isolation.js';

/** How a buildpack program runs: the clean build env, streamed output, abort, and the sandbox. */
export interface BuildpackRun {
  env: Readonly<Record<string, string>>;
  onOutput(chunk: string): void;
  signal: AbortSignal;
  /** Where the programs' process group ids are noted (see stopLeftoverBuild). */
  pidFile?: string;
  /** The build's sandbox and scratch dir; without it programs run as plain processes (tests of buildpacks alone). */
  sandbox?: { isolation: Isolation; workDir: string };
}

/** Runs a program of a build: in the build's sandbox, seeing only `writable` and `readable` of the host. */
export function runIsolated(
  argv: readonly string[],
  run: BuildpackRun,
  where: { cwd: string; writable: readonly string[]; readable: readonly string[]; mirrors?: boolean },
  onOutput = run.onOutput,
): Promise<number> {
  const { isolation, workDir } = run.sandbox ?? { isolation: plainIsolation, workDir: where.cwd };
  return isolation.exec(argv, { ...where, workDir, env: run.env, signal: run.signal, onOutput, pidFile: run.pidFile });
}

export interface CompileDirs {
  build: string;
  cache: string;
  env: string;
}

/**
 * The classic buildpack API. Built-ins and users' buildpacks (git URL or
 * path) all implement it the same way, as directories with `bin/` programs.
 */
export interface Buildpack {
  /** How it was asked for: a built-in's name, a git URL, or a path. */
  readonly url: string;
  /** Its directory; `export` written there is sourced by later buildpacks. */
  readonly dir: string;
  /** The framework name when the buildpack applies to the app, else null. */
  detect(buildDir: string, run: BuildpackRun): Promise<string | null>;
  /** Transforms the build dir in place; throws a `build_failed` error on failure. */
  compile(dirs: CompileDirs, run: BuildpackRun): Promise<void>;
  /** The default process types from `bin/release` (empty without one). */
  release(buildDir: string, run: BuildpackRun): Promise<ProcessTypes>;
}

const ReleaseYaml = z.lazy(() =>
  z
    .object({ default_process_types: z.record(z.string().regex(PROCESS_TYPE), z.string()).nullish() })
    .nullish());

/**
 * A buildpack that is a directory with `bin/detect`, `bin/compile` and
 * optional `bin/release`. `ownCopy`: the directory is this build's alone (a
 * clone or copy in its work dir), so `bin/compile` may write `export` there
 * for the next buildpack; a shared one (a built-in) is read-only to it.
 */
export function directoryBuildpack(url: string, dir: string, ownCopy = false): Buildpack {
  const bin = (name: string) => join(dir, 'bin', name);
  for (const required of ['detect', 'compile']) {
    if (!existsSync(bin(required))) {
      throw new PlatformError('build_failed', `Buildpack ${url} has no bin/${required}; it is not a classic buildpack.`);
    }
  }
  // The buildpack is read-only to its own programs; they write only the dirs the API gives them.
  // Only bin/compile installs dependencies: it alone may reach the package mirrors.
  const runProgram = (argv: string[], writable: string[], run: BuildpackRun, onOutput = run.onOutput) => {
    const compile = argv[0] === bin('compile');
    const own = compile && ownCopy ? { writable: [...writable, dir], readable: [] } : { writable, readable: [dir] };
    return runIsolated(argv, run, { cwd: writable[0] as string, ...own, mirrors: compile }, onOutput);
  };

  return {
    url,
    dir,
    async detect(buildDir, run) {
      let out = '';
      const code = await runProgram([bin('detect'), buildDir], [buildDir], run, (c) => (out += c));
      return code === 0 ? out.trim().split('\n')[0] || url : null;
    },
    async compile(dirs, run) {
      const code = await runProgram([bin('compile'), dirs.build, dirs.cache, dirs.env], [dirs.build, dirs.cache, dirs.env], run);
      if (code !== 0) throw new PlatformError('build_failed', `Buildpack ${url} failed to compile this app (exit ${code}).`);
    },
    async release(buildDir, run) {
      if (!existsSync(bin('release'))) return {};
      let out = '';
      const code = await runProgram([bin('release'), buildDir], [buildDir], run, (c) => (out += c));
      if (code !== 0) throw new PlatformError('build_failed', `Buildpack ${url}: bin/release failed (exit ${code}).`);
      try {
        return ReleaseYaml.parse(yaml().parse(out))?.default_process_types ?? {};
      } catch (e) {
        throw new PlatformError(
          'build_failed',
          `Buildpack ${url}: bin/release must print YAML with default_process_types (a map of type to command): ${errorMessage(e)}`,
        );
      }
    },
  };
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigVars } from '../domain/index.js';

/** The stack every build runs on and every slug reports. */
export const STACK = 'cupaas-24';

/**
 * Config vars a build never sees (in its environment or ENV_DIR). Heroku's
 * buildpacks exclude PATH, GIT_DIR, CPATH, CPPATH, LD_PRELOAD and
 * LIBRARY_PATH; we add HOME and STACK (ours to set), and every variable that
 * changes how a shell or runtime starts, so that a config var alone (set
 * through the API, without a push) cannot run code in the build's tools.
 * Dynos still get them: there they only affect the app's own processes.
 */
const RESTRICTED = new Set([
  'PATH', 'GIT_DIR', 'CPATH', 'CPPATH', 'LIBRARY_PATH', 'HOME', 'STACK',
  // Shells
  'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'PROMPT_COMMAND', 'IFS', 'CDPATH', 'GLOBIGNORE', 'BASH_XTRACEFD',
  // The dynamic loader and libc
  'GLIBC_TUNABLES',
  // Runtimes
  'NODE_OPTIONS', 'PYTHONSTARTUP', 'PYTHONPATH', 'PYTHONHOME', 'PYTHONINSPECT', 'PYTHONWARNINGS', 'PYTHONBREAKPOINT',
  'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'RUBYOPT', 'RUBYLIB', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS',
]);
/** Whole families: the loader (LD_PRELOAD, LD_AUDIT...), git's hooks into commands, exported bash functions. */
const RESTRICTED_PREFIXES = ['LD_', 'DYLD_', 'GIT_', 'BASH_FUNC_'];
/** npm reads its settings case-insensitively; these two change what starts npm's scripts. */
const RESTRICTED_NPM = new Set(['npm_config_node_options', 'npm_config_script_shell']);

/** Whether a build ignores this config var (see RESTRICTED). */
export function isRestrictedBuildVar(key: string): boolean {
  return RESTRICTED.has(key) || RESTRICTED_PREFIXES.some((p) => key.startsWith(p)) || RESTRICTED_NPM.has(key.toLowerCase());
}

/** The config vars a build may see, and the names it ignores (for a warning in the build output). */
export function buildConfig(config: ConfigVars): { vars: ConfigVars; ignored: string[] } {
  const vars: Record<string, string> = {};
  const ignored: string[] = [];
  for (const [k, v] of Object.entries(config)) {
    if (isRestrictedBuildVar(k)) ignored.push(k);
    else vars[k] = v;
  }
  return { vars, ignored };
}

export interface BuildEnvOptions {
  /** The stack's PATH (config.stackPath), never the platform's own. */
  stackPath: string;
  npmRegistry: string | null;
  pipIndexUrl: string | null;
  pipFindLinks: string | null;
}

/**
 * The environment buildpacks run with, built from nothing: the stack's PATH,
 * HOME at the build dir, the stack, the host's package mirrors, and the app's
 * config vars but the restricted ones (which win over the mirrors). The
 * platform's own environment (credentials, CUPAAS_*, the operator's PATH)
 * never reaches a build.
 */
export function buildEnv(buildDir: string, config: ConfigVars, opts: BuildEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  const mirrors = { npm_config_registry: opts.npmRegistry, PIP_INDEX_URL: opts.pipIndexUrl, PIP_FIND_LINKS: opts.pipFindLinks };
  for (const [k, v] of Object.entries(mirrors)) if (v) env[k] = v;
  Object.assign(env, buildConfig(config).vars, {
    PATH: opts.stackPath,
    HOME: buildDir,
    STACK,
    CI: 'true',
  });
  env.LANG ??= 'C.UTF-8';
  return env;
}

/** Writes ENV_DIR: one file per config var a build may see, named by key, holding the value. */
export function writeEnvDir(dir: string, config: ConfigVars): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [k, v] of Object.entries(buildConfig(config).vars)) writeFileSync(join(dir, k), v, { mode: 0o600 });
}

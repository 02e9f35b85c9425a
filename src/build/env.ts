import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigVars } from '../domain/index.js';

/** The stack every build runs on and every slug reports. */
export const STACK = 'cupaas-24';

/** Config vars that would break or subvert the build toolchain (the classic deny-list). */
const DENIED = new Set(['PATH', 'GIT_DIR', 'CPATH', 'CPPATH', 'LD_PRELOAD', 'LIBRARY_PATH', 'HOME', 'STACK']);

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
 * config vars (which win over the mirrors). The platform's own environment
 * (credentials, CUPAAS_*, the operator's PATH) never reaches a build.
 */
export function buildEnv(buildDir: string, config: ConfigVars, opts: BuildEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  const mirrors = { npm_config_registry: opts.npmRegistry, PIP_INDEX_URL: opts.pipIndexUrl, PIP_FIND_LINKS: opts.pipFindLinks };
  for (const [k, v] of Object.entries(mirrors)) if (v) env[k] = v;
  for (const [k, v] of Object.entries(config)) if (!DENIED.has(k)) env[k] = v;
  Object.assign(env, {
    PATH: opts.stackPath,
    HOME: buildDir,
    STACK,
    LANG: env.LANG ?? 'C.UTF-8',
    CI: 'true',
  });
  return env;
}

/** Writes ENV_DIR: one file per config var, named by key, holding the value. */
export function writeEnvDir(dir: string, config: ConfigVars): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [k, v] of Object.entries(config)) writeFileSync(join(dir, k), v, { mode: 0o600 });
}

import { DEFAULT_STACK_PATH } from '../config/index.js';

/**
 * A sandbox's leading programs (the cgroup-joining shell, nsenter, bwrap,
 * setpriv, and the local runtime's exit-status wrapper) run as root on the
 * host, before any isolation. The environment they start with is the dyno's,
 * that is the app's config vars: hostile. These names change how a program
 * starts, so they are kept away from those programs and set only for the
 * app's own program once privileges are gone (see `programEnv` in
 * SandboxCommand):
 * - glibc's list of variables it ignores in setuid programs (the loader's
 *   LD_* family, GCONV_PATH, GLIBC_TUNABLES, MALLOC_TRACE, ...): as plain
 *   root they would be honoured, so LD_PRELOAD pointing into a slug would
 *   run the app's code as root on the host;
 * - what makes a shell run code as it starts (BASH_ENV, ENV, exported
 *   functions, SHELLOPTS/BASHOPTS);
 * - PATH, although every leading program is named by an absolute path.
 */
const UNSAFE = new Set([
  'GCONV_PATH', 'GETCONF_DIR', 'GLIBC_TUNABLES', 'HOSTALIASES', 'LOCALDOMAIN', 'LOCPATH', 'MALLOC_TRACE', 'NIS_PATH',
  'NLSPATH', 'RESOLV_HOST_CONF', 'RES_OPTIONS', 'TMPDIR', 'TZDIR',
  'BASH_ENV', 'ENV', 'SHELLOPTS', 'BASHOPTS', 'PATH',
]);
const UNSAFE_PREFIXES = ['LD_', 'BASH_FUNC_'];


const unsafe = (name: string) => UNSAFE.has(name) || UNSAFE_PREFIXES.some((p) => name.startsWith(p));

/**
 * Splits a dyno's environment into what the leading programs may start with
 * (`spawn`, with the host's PATH) and what only the app's program gets
 * (`program`, for SandboxCommand.programEnv).
 */
export function splitHostEnv(env: Readonly<Record<string, string>>): { spawn: Record<string, string>; program: Record<string, string> } {
  const spawn: Record<string, string> = {};
  const program: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) (unsafe(k) ? program : spawn)[k] = v;
  // The leading programs get the stack's PATH (root-owned system dirs) instead of the app's.
  spawn.PATH = DEFAULT_STACK_PATH;
  return { spawn, program };
}

import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The full path of `name` on `path` or in `extraDirs` (searched first), or null. */
export function findProgram(name: string, path: string, extraDirs: readonly string[] = []): string | null {
  for (const dir of [...extraDirs, ...path.split(delimiter)]) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Debian keeps PostgreSQL's server programs in /usr/lib/postgresql/<major>/bin; newest first. */
export function postgresBinDirs(root = '/usr/lib/postgresql'): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

/** Why a kind cannot run on this host (which programs are missing, how to install them), or null. */
export function missingPrograms(
  what: string,
  programs: readonly string[],
  find: (name: string) => string | null,
  install: string,
): string | null {
  const missing = programs.filter((p) => !find(p));
  if (!missing.length) return null;
  return `${what} is not installed on this host (${missing.join(', ')} not found). ` +
    `Install it with \`${install}\` (or run scripts/install-deps.sh as root), then retry.`;
}

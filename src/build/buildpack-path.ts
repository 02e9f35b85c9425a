import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PlatformError } from '../shared/errors.js';

/** Where a buildpack given by path may come from. */
export interface BuildpackPathPolicy {
  /** The app's own source: relative paths are inside it. */
  appDir: string;
  /** Directories an admin allows (CUPAAS_BUILDPACK_DIRS); absolute paths and `file://` URLs must be in one. */
  allowedDirs: readonly string[];
}

const inside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** The real path (symlinks resolved), or null when it does not exist. */
function real(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

const refuse = (ref: string, why: string) =>
  new PlatformError(
    'build_failed',
    `Buildpack "${ref}" ${why}. Use a built-in, a git URL (https://, ssh://), a directory inside the app, ` +
      'or a directory an admin allows on the server (CUPAAS_BUILDPACK_DIRS).',
  );

/**
 * The host directory a buildpack path or `file://` URL names, if the policy
 * allows it: never with a `..` segment, relative paths only inside the app,
 * absolute ones only inside an allowed directory, checked on the real path
 * (a symlink cannot lead out). Throws a `build_failed` error saying why not.
 */
export function allowedBuildpackPath(ref: string, policy: BuildpackPathPolicy): string {
  const isFileUrl = /^file:/i.test(ref);
  let path: string;
  try {
    path = isFileUrl ? fileURLToPath(ref) : ref;
  } catch {
    throw refuse(ref, 'is not a valid file URL');
  }
  // Checked on what was written too: the URL parser resolves a file URL's dot segments silently.
  const dotDot = (p: string) => p.split(/[\\/]+/).some((seg) => seg === '..' || /^(\.|%2e){2}$/i.test(seg));
  if (dotDot(path) || dotDot(ref)) throw refuse(ref, 'goes through ".."');
  const absolute = isAbsolute(path);
  const target = real(absolute ? path : resolve(policy.appDir, path));
  if (!target) throw refuse(ref, 'does not exist');
  if (!absolute) {
    const app = real(policy.appDir);
    if (!app || !inside(app, target)) throw refuse(ref, 'leads outside the app');
    return target;
  }
  const allowed = policy.allowedDirs.map(real).filter((d): d is string => d !== null);
  if (!allowed.some((d) => inside(d, target))) {
    throw refuse(ref, allowed.length ? 'is not in a directory the admin allows' : 'is a server path, and no server directory is allowed');
  }
  return target;
}

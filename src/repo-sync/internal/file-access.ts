import { readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { invalid } from '../../shared/errors.js';
import type { RepoUrl } from './repo-url.js';

/** Where `file://` repositories may be read from. */
export interface FileRepoPolicy {
  /** $CUPAAS_HOME: never readable this way (other apps' repositories, mirrors, secrets). */
  home: string;
  /** Directories an admin allows (`CUPAAS_REPO_FILE_DIRS`); none by default. */
  allowedDirs: readonly string[];
}

const HINT = 'an admin can allow directories with CUPAAS_REPO_FILE_DIRS';

const realOrSelf = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
};

const isWithin = (dir: string, p: string): boolean => {
  const rel = relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The directory a `.git` file (`gitdir: PATH`) points to, so a pointer cannot lead out of an allowed place. */
function gitfileTarget(repoDir: string): string | null {
  const dotGit = join(repoDir, '.git');
  try {
    if (!statSync(dotGit).isFile()) return null;
  } catch {
    return null;
  }
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
  return m ? realOrSelf(resolve(repoDir, m[1] as string)) : null;
}

/**
 * Refuses a `file://` repository unless its real path (symlinks and `.git`
 * pointers followed) lies under a directory an admin allows and not under
 * $CUPAAS_HOME. Other kinds of URL pass unchanged.
 */
export function checkFileRepo(repo: RepoUrl, policy: FileRepoPolicy): void {
  if (repo.kind !== 'file') return;
  const path = realOrSelf(fileURLToPath(new URL(repo.url)));
  const home = realOrSelf(policy.home);
  const targets = [path, gitfileTarget(path)].filter((p): p is string => p !== null);
  for (const p of targets) {
    if (isWithin(home, p)) throw invalid(`file:// repositories under the platform's state directory are not allowed.`);
    if (!policy.allowedDirs.some((d) => isWithin(realOrSelf(d), p))) {
      throw invalid(`file:// repositories are allowed only in directories the admin names; ${HINT}.`);
    }
  }
}

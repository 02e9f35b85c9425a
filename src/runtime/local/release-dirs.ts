import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../shared/ids.js';
import { runChecked } from '../../shared/process.js';
import type { SlugArchive } from '../../slugs/index.js';
import { removeTree } from './files.js';

/**
 * Slugs extracted once each under `dir/<sha256>`, read-only, and shared by
 * every dyno (and release) that runs them.
 */
export function createReleaseDirs(dir: string, slugs: Pick<SlugArchive, 'extract'>) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pending = new Map<string, Promise<string>>();

  const extract = async (checksum: string, dest: string): Promise<string> => {
    const tmp = join(dir, `.tmp-${newId()}`);
    try {
      await slugs.extract(checksum, tmp);
      await runChecked(['chmod', '-R', 'a-w', tmp]);
      renameSync(tmp, dest);
      return dest;
    } finally {
      await removeTree(tmp);
    }
  };

  return {
    /** The directory holding the slug's app files, extracting it on first use. */
    ensure(checksum: string): Promise<string> {
      const dest = join(dir, checksum.replace(/^SHA256:/, ''));
      if (existsSync(dest)) return Promise.resolve(dest);
      let p = pending.get(dest);
      if (!p) {
        p = extract(checksum, dest).finally(() => pending.delete(dest));
        pending.set(dest, p);
      }
      return p;
    },
  };
}

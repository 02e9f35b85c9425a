import { existsSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { newId } from '../../shared/ids.js';
import { removeTree } from '../../shared/tree.js';

/**
 * Makes directories that, once made, never change (extracted slugs, their
 * writable templates): each is built by `build` in a temp dir beside it and
 * renamed into place, so a half-made one is never seen; concurrent callers
 * asking for the same one wait for the one build.
 */
export function createOnceDirs(): (dest: string, build: (tmp: string) => Promise<void>) => Promise<string> {
  const pending = new Map<string, Promise<string>>();
  const make = async (dest: string, build: (tmp: string) => Promise<void>) => {
    const tmp = join(dirname(dest), `.tmp-${basename(dest)}-${newId()}`);
    try {
      await build(tmp);
      renameSync(tmp, dest);
      return dest;
    } finally {
      await removeTree(tmp);
    }
  };
  return (dest, build) => {
    if (existsSync(dest)) return Promise.resolve(dest);
    let p = pending.get(dest);
    if (!p) {
      p = make(dest, build).finally(() => pending.delete(dest));
      pending.set(dest, p);
    }
    return p;
  };
}

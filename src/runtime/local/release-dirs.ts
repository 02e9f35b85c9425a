import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../shared/ids.js';
import { runChecked } from '../../shared/process.js';
import type { SlugArchive } from '../../slugs/index.js';
import { createOnceDirs } from './files.js';
import { removeTree } from '../../shared/tree.js';

/** `<sha>`, `<sha>.rw` and `<sha>.rw-<uid>`: what a release's dynos are made from (see app-copies.ts). */
const MADE_FROM = /^([0-9a-f]{64})(\.rw(-\d+)?)?$/;
const PRUNED = '.tmp-pruned-';

/**
 * Slugs extracted once each under `dir/<sha256>`, read-only, and shared by
 * every dyno (and release) that runs them.
 */
export function createReleaseDirs(dir: string, slugs: Pick<SlugArchive, 'extract'>) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const once = createOnceDirs();
  const shaOf = (checksum: string) => checksum.replace(/^SHA256:/, '');
  return {
    /** The directory holding the slug's app files, extracting it on first use. */
    ensure(checksum: string): Promise<string> {
      return once(join(dir, shaOf(checksum)), async (tmp) => {
        await slugs.extract(checksum, tmp);
        await runChecked(['chmod', '-R', 'a-w', tmp]);
      });
    },

    /**
     * Removes the extracted slugs and their templates that no dyno of `inUse`
     * (slug checksums) is made from: each release would otherwise keep two
     * copies of its app on disk for the life of the platform. A dyno copies
     * its template as it starts, so only starting dynos need them; one that
     * starts later extracts its slug again. Each goes out of the way by a
     * rename first, in the same turn as the check, so a dyno started a moment
     * later never copies a half-removed tree: it finds the name free.
     */
    async prune(inUse: ReadonlySet<string>): Promise<number> {
      const keep = new Set([...inUse].map(shaOf));
      const doomed: string[] = [];
      for (const name of readdirSync(dir)) {
        // What a run stopped by a crash left half removed.
        if (name.startsWith(PRUNED)) doomed.push(join(dir, name));
        const sha = MADE_FROM.exec(name)?.[1];
        if (!sha || keep.has(sha)) continue;
        const away = join(dir, `${PRUNED}${name}-${newId()}`);
        renameSync(join(dir, name), away);
        doomed.push(away);
      }
      for (const path of doomed) await removeTree(path);
      return doomed.length;
    },
  };
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../../shared/process.js';
import type { SlugArchive } from '../../slugs/index.js';
import { createOnceDirs } from './files.js';

/**
 * Slugs extracted once each under `dir/<sha256>`, read-only, and shared by
 * every dyno (and release) that runs them.
 */
export function createReleaseDirs(dir: string, slugs: Pick<SlugArchive, 'extract'>) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const once = createOnceDirs();
  return {
    /** The directory holding the slug's app files, extracting it on first use. */
    ensure(checksum: string): Promise<string> {
      return once(join(dir, checksum.replace(/^SHA256:/, '')), async (tmp) => {
        await slugs.extract(checksum, tmp);
        await runChecked(['chmod', '-R', 'a-w', tmp]);
      });
    },
  };
}

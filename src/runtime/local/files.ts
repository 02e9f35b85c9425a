import { existsSync, rmSync } from 'node:fs';
import { run } from '../../shared/process.js';

/** Deletes a directory tree even where a dyno or the release extraction made parts read-only. */
export async function removeTree(path: string): Promise<void> {
  if (!existsSync(path)) return;
  await run(['chmod', '-R', 'u+w', path]);
  rmSync(path, { recursive: true, force: true });
}

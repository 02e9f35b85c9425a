import { existsSync } from 'node:fs';
import { run, runChecked } from './process.js';

/**
 * Deletes a directory tree: a build's work directory, an extracted slug, a
 * dyno's scratch (tens of thousands of files for a Node app). `rm` does it
 * in a process of its own: Node's recursive rm walks the tree in JavaScript
 * on the server's event loop (blocking it, for rmSync), where the Node data
 * plane routes requests. Parts a dyno or an extraction made read-only are
 * made writable first. `rm` stays on the tree's file system, so a mount a
 * crash left inside is not followed.
 */
export async function removeTree(path: string): Promise<void> {
  if (!existsSync(path)) return;
  await run(['chmod', '-R', 'u+w', '--', path]);
  await runChecked(['rm', '-rf', '--one-file-system', '--', path]);
}

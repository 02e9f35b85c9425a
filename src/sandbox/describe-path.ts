import { lstatSync, readlinkSync } from 'node:fs';
import type { PathKind } from './bwrap-argv.js';

/** What a host path is, read with lstat (a symlink is shown as a symlink, never followed). */
export function describePath(path: string): PathKind {
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(path) };
    return { kind: st.isDirectory() ? 'dir' : 'file' };
  } catch {
    return { kind: 'missing' };
  }
}

import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAlive } from '../shared/process.js';

/**
 * One server per home: a pid file created exclusively. A stale file (its
 * process gone) is taken over; a live one refuses the start.
 */
export function acquireHomeLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `Another cupaas server (pid ${pid}) is already running on this home (${path}). ` +
            'Stop it first, or give this one its own CUPAAS_HOME.',
        );
      }
      unlinkSync(path);
    }
  }
  throw new Error(`Could not take the lock ${path}`);
}

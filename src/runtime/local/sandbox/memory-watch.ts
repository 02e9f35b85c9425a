import type { DynoCgroup } from '../../../sandbox/index.js';

const MB = 1024 * 1024;

/** Heroku's "Process running mem=528M(103.3%)" line. */
export function memoryLine(bytes: number, quotaBytes: number): string {
  return `Process running mem=${Math.round(bytes / MB)}M(${((bytes / quotaBytes) * 100).toFixed(1)}%)`;
}

export const R14 = 'Error R14 (Memory quota exceeded)';
export const R15 = 'Error R15 (Memory quota vastly exceeded)';

export interface MemoryWatchOptions {
  cgroup: Pick<DynoCgroup, 'memoryBytes' | 'oomKills'>;
  quotaBytes: number;
  hardBytes: number;
  intervalMs: number;
  /** R14 is repeated at most this often while the dyno stays over quota. */
  r14EveryMs: number;
  /** Writes one line to the app's log as the platform (`heroku[web.1]`). */
  log(message: string): void;
  /** The kernel OOM-killed inside the dyno: the whole dyno must go (Heroku stops it). */
  onR15(): void;
  now?: () => number;
}

/**
 * Samples a dyno's memory: above the quota it logs R14 (repeatedly, spaced);
 * when the kernel's OOM killer has struck at the hard limit it logs R15 and
 * asks for the dyno to be killed, so the crash policy restarts it whole.
 */
export function watchMemory(o: MemoryWatchOptions): { check(): void; stop(): void } {
  const now = o.now ?? Date.now;
  let seenKills = o.cgroup.oomKills();
  let lastR14 = -Infinity;
  let lastBytes = 0;
  const check = () => {
    const kills = o.cgroup.oomKills();
    if (kills > seenKills) {
      seenKills = kills;
      o.log(memoryLine(Math.max(lastBytes, o.hardBytes), o.quotaBytes));
      o.log(R15);
      o.log('Stopping process with SIGKILL');
      o.onR15();
      return;
    }
    const bytes = o.cgroup.memoryBytes();
    if (bytes === null) return;
    lastBytes = bytes;
    if (bytes > o.quotaBytes && now() - lastR14 >= o.r14EveryMs) {
      lastR14 = now();
      o.log(memoryLine(bytes, o.quotaBytes));
      o.log(R14);
    }
  };
  const timer = setInterval(check, o.intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}

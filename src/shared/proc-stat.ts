import { readFileSync } from 'node:fs';
import { delay } from './wait.js';

/** Fields of /proc/PID/stat after the command name (which may contain spaces), or null when it is gone. */
export function statFields(pid: number | string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * The kernel's start time of a live process (field 22), or null when it is
 * gone or a zombie. A pid and this together name one process: pids get reused.
 */
export function processStartTime(pid: number): string | null {
  const f = statFields(pid);
  return f && f[0] !== 'Z' ? (f[19] ?? null) : null;
}

/** Resolves once the process with this pid and start time is gone (it is not our child: its exit is polled). */
export async function processGone(pid: number, startTime: string, intervalMs = 200): Promise<void> {
  while (processStartTime(pid) === startTime) await delay(intervalMs);
}

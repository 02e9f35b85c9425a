import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { statFields } from '../../shared/proc-stat.js';
import { delay } from '../../shared/wait.js';

/** Sends a signal to every process of a group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * Whether any process of the group still runs. Zombies do not count: where
 * pid 1 does not reap orphans (some containers), a dead group stays visible
 * to kill(-pgid, 0) forever.
 */
export function groupAlive(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  return pids.some((pid) => {
    const f = statFields(pid);
    return f !== null && f[2] === String(pgid) && f[0] !== 'Z';
  });
}

/** Resolves true once no process of the group is left, false when `timeoutMs` passes first. */
export async function waitGroupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await delay(Math.min(50, Math.max(1, deadline - Date.now())));
  }
  return true;
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves `forced` when SIGKILL was needed. */
export async function terminateGroup(pgid: number, graceMs: number): Promise<{ forced: boolean }> {
  signalGroup(pgid, 'SIGTERM');
  if (await waitGroupGone(pgid, graceMs)) return { forced: false };
  signalGroup(pgid, 'SIGKILL');
  await waitGroupGone(pgid, 5000);
  return { forced: true };
}

/** A shell-style exit status: the code, or 128 + the signal number. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
}

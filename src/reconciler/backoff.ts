import { backoffMs } from '../shared/backoff.js';
import type { PlanSettings } from './model.js';

/**
 * Heroku's crash policy: the first crash restarts at once, later ones wait
 * `base`, then twice as long each time, up to `max`.
 */
export function crashDelay(count: number, s: Pick<PlanSettings, 'crashBackoffBaseMs' | 'crashBackoffMaxMs'>): number {
  if (count <= 1) return 0;
  return backoffMs(count - 2, s.crashBackoffBaseMs, s.crashBackoffMaxMs);
}

/** Whether a restart of the dyno (all, its type, or itself) was requested after `t`. */
export function restartedSince(restarts: Readonly<Record<string, number>>, type: string, name: string, t: number): boolean {
  return Math.max(restarts[''] ?? 0, restarts[type] ?? 0, restarts[name] ?? 0) > t;
}

const BOOT_FAILURE = ' failed to boot: ';

/** The status reason of a release whose dynos could not boot (recognised by `isBootFailure`). */
export const bootFailureReason = (dynoName: string, why: string): string => `${dynoName}${BOOT_FAILURE}${why}`;

/** Whether a release failed because its dynos could not boot (rather than its release phase). */
export const isBootFailure = (reason: string | null): boolean => reason !== null && /^[a-z][a-z0-9_-]*\.\d+ failed to boot: /.test(reason);

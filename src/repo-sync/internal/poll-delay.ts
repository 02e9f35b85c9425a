import { backoffMs } from '../../shared/backoff.js';

/** Longest wait between polls of a failing remote. */
export const MAX_BACKOFF_MS = 30 * 60 * 1000;

/** Fraction of the delay added or removed at random, so apps do not poll in lockstep. */
export const JITTER = 0.1;

/**
 * Milliseconds until the next poll: the interval after a success, doubling
 * with each consecutive failure up to MAX_BACKOFF_MS (never below the
 * interval), with ±10% jitter. `random` is in [0, 1).
 */
export function pollDelay(intervalSeconds: number, failures: number, random: number): number {
  const base = intervalSeconds * 1000;
  const backedOff = failures > 0 ? Math.max(base, backoffMs(failures, base, MAX_BACKOFF_MS)) : base;
  return Math.round(backedOff * (1 - JITTER + 2 * JITTER * random));
}

/**
 * Exponential back-off: `base` for attempt 0, then twice as long per attempt,
 * capped at `max`. The one rule behind crash restarts, poll retries and drain
 * reconnects.
 */
export const backoffMs = (attempt: number, base: number, max: number): number =>
  Math.min(max, base * 2 ** Math.min(Math.max(attempt, 0), 30));

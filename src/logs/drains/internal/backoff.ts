/** Exponential back-off: `min`, `2·min`, `4·min`, … capped at `max`. */
export const backoffMs = (attempt: number, min: number, max: number): number =>
  Math.min(max, min * 2 ** Math.min(attempt, 30));

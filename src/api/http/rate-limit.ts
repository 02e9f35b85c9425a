/**
 * A token bucket per API key, as Heroku's: `capacity` calls, refilled at
 * `perMinute`. Kept in memory: a restart refills every bucket.
 */
export interface RateLimiter {
  /** Takes one token; returns the remaining balance, or -1 when empty. */
  take(key: string): number;
}

export function createRateLimiter(capacity = 4500, perMinute = 75, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: capacity, at: t };
      b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 60_000) * perMinute);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens < 1) return -1;
      b.tokens -= 1;
      return Math.floor(b.tokens);
    },
  };
}

/**
 * A token bucket per API key, as Heroku's: `capacity` calls, refilled at
 * `perMinute`. Kept in memory: a restart refills every bucket.
 */
export interface RateLimiter {
  /** Takes one token; returns the remaining balance, or -1 when empty. */
  take(key: string): number;
  /** The balance without taking a token. */
  peek(key: string): number;
}

export function createRateLimiter(capacity = 4500, perMinute = 75, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refilled = (key: string) => {
    const t = now();
    const b = buckets.get(key) ?? { tokens: capacity, at: t };
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 60_000) * perMinute);
    b.at = t;
    // A full bucket is the default: forgetting it keeps the map as small as the set of recent callers.
    if (b.tokens >= capacity) buckets.delete(key);
    else buckets.set(key, b);
    return b;
  };
  return {
    peek: (key) => Math.floor(refilled(key).tokens),
    take(key) {
      const b = refilled(key);
      buckets.set(key, b);
      if (b.tokens < 1) return -1;
      b.tokens -= 1;
      return Math.floor(b.tokens);
    },
  };
}

/**
 * Response-time histograms with fixed, roughly logarithmic bucket bounds, so
 * a minute of any number of requests stores in a few dozen integers and
 * minutes add up by summing counts.
 */
export const BUCKET_BOUNDS_MS: readonly number[] = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10_000,
  15_000, 20_000, 30_000, Number.POSITIVE_INFINITY,
];

export const emptyHistogram = (): number[] => BUCKET_BOUNDS_MS.map(() => 0);

/** The first bucket whose upper bound holds `value`; `bounds.length` past the last. A loop, not `findIndex`: it runs per request. */
export function bucketOf(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && !(value <= (bounds[i] as number))) i++;
  return i;
}

export function observe(histogram: number[], ms: number): void {
  const i = Math.min(bucketOf(BUCKET_BOUNDS_MS, ms), BUCKET_BOUNDS_MS.length - 1);
  histogram[i] = (histogram[i] ?? 0) + 1;
}

/**
 * The `q` quantile (0..1) of a histogram, interpolated linearly inside its
 * bucket; `maxMs` (the largest value seen) caps the open last bucket. Null
 * with no observations.
 */
export function quantile(histogram: readonly number[], q: number, maxMs: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    const count = histogram[i] ?? 0;
    if (count === 0) continue;
    if (seen + count >= rank) {
      const lower = i === 0 ? 0 : (BUCKET_BOUNDS_MS[i - 1] as number);
      const upper = Math.min(BUCKET_BOUNDS_MS[i] as number, maxMs);
      const within = (rank - seen) / count;
      return Math.round(Math.max(lower, Math.min(upper, lower + within * (upper - lower))));
    }
    seen += count;
  }
  return Math.round(maxMs);
}

/** The exact quantile of a list of samples (nearest rank), for the autoscaler's short window. */
export function sampleQuantile(samples: readonly number[], q: number): number | null {
  if (!samples.length) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_BACKOFF_MS, pollDelay } from './poll-delay.js';

describe('poll delay', () => {
  it('waits the interval while healthy and doubles per failure up to 30 minutes (no jitter at random 0.5)', () => {
    const table: Array<[interval: number, failures: number, ms: number]> = [
      [60, 0, 60_000],
      [60, 1, 120_000],
      [60, 2, 240_000],
      [60, 4, 960_000],
      [60, 5, MAX_BACKOFF_MS],
      [60, 50, MAX_BACKOFF_MS],
      [1, 0, 1_000],
      [1, 3, 8_000],
      [1, 40, MAX_BACKOFF_MS],
      // An interval longer than the cap is never shortened by failing.
      [3600, 2, 3_600_000],
    ];
    for (const [interval, failures, ms] of table) {
      assert.equal(pollDelay(interval, failures, 0.5), ms, `${interval}s after ${failures} failures`);
    }
  });

  it('jitters by at most 10% either way', () => {
    assert.equal(pollDelay(60, 0, 0), 54_000);
    assert.equal(pollDelay(60, 0, 0.999999), 66_000);
    assert.equal(pollDelay(60, 5, 0), MAX_BACKOFF_MS * 0.9);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from './rate-limit.js';

describe('rate limiter', () => {
  it('allows `capacity` calls, then refuses until tokens refill', () => {
    let now = 0;
    const limiter = createRateLimiter(3, 60, () => now);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [2, 1, 0]);
    assert.equal(limiter.take('a'), -1);
    assert.equal(limiter.take('b'), 2, 'buckets are per key');
    now += 1000; // 60 per minute: one token per second
    assert.equal(limiter.take('a'), 0);
    assert.equal(limiter.take('a'), -1);
    now += 60 * 60_000;
    assert.equal(limiter.take('a'), 2, 'refills up to capacity, no more');
  });

  it('peeks without taking', () => {
    const limiter = createRateLimiter(2, 60, () => 0);
    assert.equal(limiter.peek('a'), 2);
    assert.equal(limiter.peek('a'), 2);
    limiter.take('a');
    limiter.take('a');
    assert.equal(limiter.peek('a'), 0);
  });
});

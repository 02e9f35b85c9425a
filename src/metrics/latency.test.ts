import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyHistogram, observe, quantile, sampleQuantile } from './latency.js';

describe('latency histograms', () => {
  it('has no quantile without observations', () => {
    assert.equal(quantile(emptyHistogram(), 0.95, 0), null);
    assert.equal(sampleQuantile([], 0.5), null);
  });

  it('puts quantiles inside the right bucket, capped by the largest value seen', () => {
    const h = emptyHistogram();
    for (let i = 0; i < 90; i++) observe(h, 12); // bucket 10..15
    for (let i = 0; i < 10; i++) observe(h, 640); // bucket 500..700
    const p50 = quantile(h, 0.5, 640) as number;
    assert.ok(p50 > 10 && p50 <= 15, `p50 ${p50}`);
    const p99 = quantile(h, 0.99, 640) as number;
    assert.ok(p99 > 500 && p99 <= 640, `p99 ${p99}`);
    assert.equal(quantile(h, 1, 640), 640);
  });

  it('keeps values past the last finite bound', () => {
    const h = emptyHistogram();
    observe(h, 45_000);
    const p50 = quantile(h, 0.5, 45_000) as number;
    assert.ok(p50 > 30_000 && p50 <= 45_000, `p50 ${p50}`);
    assert.equal(quantile(h, 1, 45_000), 45_000);
  });

  it('computes exact quantiles of samples by nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(sampleQuantile(samples, 0.95), 95);
    assert.equal(sampleQuantile(samples, 0.5), 50);
    assert.equal(sampleQuantile([7], 0.99), 7);
  });
});

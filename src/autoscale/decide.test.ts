import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, type AutoscaleInput, type AutoscaleSettings } from './decide.js';

const S: AutoscaleSettings = { scaleOutCooldownMs: 60_000, scaleInCooldownMs: 180_000, minRequests: 20, scaleInRatio: 0.5 };
const NOW = 1_000_000_000;
const base: AutoscaleInput = {
  policy: { minQuantity: 1, maxQuantity: 4, p95TargetMs: 500 }, quantity: 2, p95Ms: 300, requests: 100, now: NOW, lastScaledAt: null,
};

describe('autoscale decision', () => {
  const table: Array<[string, Partial<AutoscaleInput>, number | null]> = [
    ['holds between half the target and the target', {}, null],
    ['scales out one dyno when p95 is over target', { p95Ms: 800 }, 3],
    ['never beyond max', { p95Ms: 5000, quantity: 4 }, null],
    ['waits for the scale-out cool-down', { p95Ms: 800, lastScaledAt: NOW - 30_000 }, null],
    ['scales out once the cool-down passed', { p95Ms: 800, lastScaledAt: NOW - 60_000 }, 3],
    ['ignores a slow p95 over too few requests', { p95Ms: 800, requests: 5 }, null],
    ['exactly on target is not over', { p95Ms: 500 }, null],
    ['scales in one dyno when p95 is well under', { p95Ms: 100 }, 1],
    ['scales in without traffic', { p95Ms: null, requests: 0 }, 1],
    ['never below min', { p95Ms: null, requests: 0, quantity: 1 }, null],
    ['scale-in waits for its longer cool-down', { p95Ms: 100, lastScaledAt: NOW - 120_000 }, null],
    ['scales in once that passed', { p95Ms: 100, lastScaledAt: NOW - 180_000 }, 1],
    ['brings a formation under min up at once', { quantity: 0, lastScaledAt: NOW }, 1],
    ['brings a formation over max down at once', { quantity: 9, p95Ms: 9000, lastScaledAt: NOW }, 4],
    ['min = max pins the quantity', { policy: { minQuantity: 2, maxQuantity: 2, p95TargetMs: 500 }, p95Ms: 9000 }, null],
  ];
  for (const [name, change, expected] of table) {
    it(name, () => {
      const d = decide({ ...base, ...change }, S);
      assert.equal(d?.quantity ?? null, expected, JSON.stringify(d));
      if (d) assert.ok(d.reason.length > 0);
    });
  }

  it('stays within min..max whatever the input (sweep)', () => {
    for (let q = 0; q <= 6; q++) {
      for (const p95Ms of [null, 0, 100, 249, 250, 499, 500, 501, 10_000]) {
        for (const last of [null, NOW, NOW - 60_000, NOW - 600_000]) {
          const d = decide({ ...base, quantity: q, p95Ms, lastScaledAt: last, requests: p95Ms === null ? 0 : 50 }, S);
          const next = d?.quantity ?? q;
          if (q >= 1 && q <= 4) assert.ok(next >= 1 && next <= 4 && Math.abs(next - q) <= 1, `${q} ${p95Ms} ${last} → ${next}`);
          else assert.ok(next >= 1 && next <= 4, `out of range ${q} is corrected`);
        }
      }
    }
  });
});

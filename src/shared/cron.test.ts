import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCronSchedule } from './cron.js';
import { isPlatformError } from './errors.js';

describe('parseCronSchedule', () => {
  it('finds the next and the previous time in UTC', () => {
    const s = parseCronSchedule('*/10 * * * *');
    assert.equal(s.next(new Date('2026-01-01T00:05:00Z')).toISOString(), '2026-01-01T00:10:00.000Z');
    assert.equal(s.previous(new Date('2026-01-01T00:19:59Z')).toISOString(), '2026-01-01T00:10:00.000Z');
    assert.equal(s.previous(new Date('2026-01-01T00:20:00Z')).toISOString(), '2026-01-01T00:20:00.000Z', 'a time is its own previous');
    assert.equal(parseCronSchedule('@daily').next(new Date('2026-01-01T05:00:00Z')).toISOString(), '2026-01-02T00:00:00.000Z');
  });

  for (const [bad, why] of [
    ['61 * * * *', /61/],
    ['* * * *', /4 fields/],
    ['* * * * * *', /6 fields/],
    ['every day', /2 fields/],
    ['*/0 * * * *', /Invalid cron schedule/],
  ] as const) {
    it(`refuses "${bad}" with a 422 that says what is expected`, () => {
      assert.throws(() => parseCronSchedule(bad), (e) => isPlatformError(e) && e.id === 'invalid_params' && why.test(e.message) && /five fields/.test(e.message));
    });
  }
});

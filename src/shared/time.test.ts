import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { httpDate, isoTime } from './time.js';

test('isoTime writes what toISOString writes', () => {
  const samples = [0, 1, 999, 1_000, 86_399_999, Date.UTC(2026, 11, 6, 3, 4, 5, 67), Date.UTC(2000, 1, 29), Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(0, 0, 1) - 0, -1, -62_135_596_800_000, Date.UTC(10_000, 0, 1), -62_198_755_200_000];
  for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 4_102_444_800_000));
  for (const ms of samples) {
    assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
    assert.equal(isoTime(new Date(ms)), new Date(ms).toISOString(), String(ms));
  }
  assert.match(isoTime(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});

test('isoTime throws on an invalid date, as toISOString does', () => {
  assert.throws(() => isoTime(new Date('not a date')), RangeError);
  assert.throws(() => isoTime(Number.NaN), RangeError);
});

test('httpDate writes what toUTCString writes, the same all through a second', () => {
  for (let i = 0; i < 2000; i++) {
    const ms = Math.floor(Math.random() * 4_102_444_800_000);
    assert.equal(httpDate(ms), new Date(ms).toUTCString(), String(ms));
    assert.equal(httpDate(ms - (ms % 1000) + 999), new Date(ms).toUTCString(), String(ms));
  }
});

test('no source but this module calls toISOString (use isoTime)', () => {
  const src = new URL('../', import.meta.url).pathname;
  const callers = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'shared/time.ts')
    .filter((f) => /\.toISOString\(/.test(readFileSync(join(src, f), 'utf8')));
  assert.deepEqual(callers, []);
});

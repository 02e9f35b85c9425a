import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareText } from './compare.js';

test('compareText orders by code unit, whatever the locale', () => {
  assert.deepEqual(['web', 'ab', 'Worker', 'a-b', 'web'].sort(compareText), ['Worker', 'a-b', 'ab', 'web', 'web']);
  assert.equal(compareText('2026-01-02T00:00:00Z', '2026-01-10T00:00:00Z'), -1);
});

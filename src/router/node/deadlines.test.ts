import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '../../shared/wait.js';
import { createDeadlines } from './deadlines.js';

test('expires items in the order they were added, except removed ones, with one timer', async () => {
  const expired: string[] = [];
  const d = createDeadlines<string>(30, (item) => expired.push(item));
  d.add('a');
  d.add('b');
  d.add('c');
  d.remove('b');
  // Re-adding restarts the clock: 'a' now expires after 'c'.
  d.add('a');
  await waitFor(() => expired.length === 2, { what: 'two expiries' });
  assert.deepEqual(expired, ['c', 'a']);
  d.add('late');
  await waitFor(() => expired.length === 3, { what: 'an item added after a sweep' });
  assert.equal(expired[2], 'late');
});

test('clear forgets pending items', async () => {
  const expired: string[] = [];
  const d = createDeadlines<string>(10, (item) => expired.push(item));
  d.add('x');
  d.clear();
  // 'x' was due first: had it survived clear(), it would expire before 'y'.
  d.add('y');
  await waitFor(() => expired.length > 0, { what: 'an expiry' });
  assert.deepEqual(expired, ['y']);
});

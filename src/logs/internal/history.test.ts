import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogHistory } from './history.js';

const messages = (h: LogHistory, filter = {}) => h.recent(10_000, filter).map((e) => e.message);

test('a line that does not fit evicts the oldest lines until it does', () => {
  const h = new LogHistory('a', 100, 100);
  for (const m of ['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(30)]) h.push(1, 0, 'app', 'web.1', m);
  // 90 bytes used: 30 more cross the arena's end, so it starts at 0 over the oldest line.
  h.push(4, 0, 'app', 'web.1', 'd'.repeat(30));
  assert.deepEqual(messages(h), ['b', 'c', 'd'].map((c) => c.repeat(30)));
  h.push(5, 0, 'app', 'web.1', 'e'.repeat(100));
  assert.deepEqual(messages(h), ['e'.repeat(100)]);
  assert.throws(() => h.push(6, 0, 'app', 'web.1', 'f'.repeat(101)), RangeError);
});

test('keeps the newest lines intact as the arena wraps, whatever their lengths', () => {
  const h = new LogHistory('a', 50, 2000);
  const written: string[] = [];
  let x = 7;
  for (let i = 0; i < 3000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    const m = `${i}:${'é✓x'.repeat(x % 60)}`;
    written.push(m);
    h.push(i, i + 0.5, i % 3 ? 'app' : 'heroku', `run.${i % 7}`, m);
    const kept = h.recent(1000, {});
    assert.ok(kept.length >= 1 && kept.length <= 50);
    assert.ok(kept.reduce((n, e) => n + Buffer.byteLength(e.message), 0) <= 2000);
    assert.deepEqual(kept.map((e) => e.message), written.slice(-kept.length));
    const last = kept.at(-1)!;
    assert.deepEqual([last.seq, last.epochMs, last.source, last.process, last.appId], [i, i + 0.5, i % 3 ? 'app' : 'heroku', `run.${i % 7}`, 'a']);
  }
});

test('filters by recycled process names', () => {
  const h = new LogHistory('a', 5, 1000);
  for (let i = 1; i <= 50; i++) h.push(i, 0, 'app', `run.${i}`, `m${i}`);
  h.push(51, 0, 'heroku', 'router', 'r');
  assert.deepEqual(messages(h), ['m47', 'm48', 'm49', 'm50', 'r']);
  assert.deepEqual(messages(h, { dyno: 'run.48' }), ['m48']);
  assert.deepEqual(messages(h, { source: 'router' }), ['r']);
  assert.deepEqual(h.recent(2, { source: 'app' }).map((e) => e.message), ['m49', 'm50']);
});

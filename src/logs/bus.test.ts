import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogBus } from './bus.js';
import { formatEntry, formatTimestamp } from './internal/format.js';
import type { LogEntry } from './types.js';

const app = (message: string, process = 'web.1') => ({ source: 'app' as const, process, message });

test('keeps the last 1500 lines per app', () => {
  const bus = createLogBus();
  for (let i = 1; i <= 1600; i++) bus.write('a', app(`line ${i}`));
  bus.write('b', app('other app'));
  const lines = bus.recent('a', 5000);
  assert.equal(lines.length, 1500);
  assert.equal(lines[0]?.message, 'line 101');
  assert.equal(lines.at(-1)?.message, 'line 1600');
  assert.deepEqual(bus.recent('a', 2).map((e) => e.message), ['line 1599', 'line 1600']);
  assert.equal(bus.recent('b', 100).length, 1);
});

test('formats lines as Heroku does, with microseconds', () => {
  const epochMs = Date.UTC(2026, 10, 22, 1, 2, 3, 456) + 0.789;
  assert.equal(formatTimestamp(epochMs), '2026-11-22T01:02:03.456789+00:00');
  const e = { epochMs, source: 'heroku' as const, process: 'router', message: 'at=info' };
  assert.equal(formatEntry(e), '2026-11-22T01:02:03.456789+00:00 heroku[router]: at=info');
});

test('splits dyno lines over 10000 bytes without breaking characters', () => {
  const bus = createLogBus();
  bus.write('a', app('é'.repeat(6000)));
  const parts = bus.recent('a', 10);
  assert.equal(parts.length, 2);
  assert.ok(parts.every((p) => Buffer.byteLength(p.message) <= 10_000));
  assert.equal(parts.map((p) => p.message).join(''), 'é'.repeat(6000));
});

test('filters by source, platform process and dyno', () => {
  const bus = createLogBus();
  bus.write('a', app('w1'));
  bus.write('a', app('w12', 'web.12'));
  bus.write('a', app('k1', 'worker.1'));
  bus.write('a', { source: 'heroku', process: 'router', message: 'r' });
  bus.write('a', { source: 'heroku', process: 'web.1', message: 'state' });
  const pick = (f: Parameters<typeof bus.recent>[2]) => bus.recent('a', 100, f).map((e) => e.message);
  assert.deepEqual(pick({ source: 'app' }), ['w1', 'w12', 'k1']);
  assert.deepEqual(pick({ source: 'heroku' }), ['r', 'state']);
  assert.deepEqual(pick({ source: 'router' }), ['r']);
  assert.deepEqual(pick({ dyno: 'web' }), ['w1', 'w12', 'state']);
  assert.deepEqual(pick({ dyno: 'web.1' }), ['w1', 'state']);
  assert.deepEqual(pick({ dyno: 'web.1', source: 'app' }), ['w1']);
});

test('a tail gets new lines live and ends when closed', async () => {
  const bus = createLogBus();
  bus.write('a', app('old'));
  const tail = bus.tail('a', { source: 'app' });
  const got: string[] = [];
  const reading = (async () => {
    for await (const e of tail) got.push(e.message);
  })();
  bus.write('a', app('new 1'));
  bus.write('a', { source: 'heroku', process: 'router', message: 'filtered out' });
  bus.write('a', app('new 2'));
  bus.write('b', app('other app'));
  await new Promise((r) => setImmediate(r));
  tail.close();
  await reading;
  assert.deepEqual(got, ['new 1', 'new 2']);
});

test('a tail that falls behind drops lines and reports L11 where the gap is', async () => {
  const bus = createLogBus({ tailBuffer: 5 });
  const tail = bus.tail('a');
  for (let i = 1; i <= 20; i++) bus.write('a', app(`l${i}`));
  assert.equal(tail.dropped, 15);
  const it = tail[Symbol.asyncIterator]();
  const next = async () => ((await it.next()).value as LogEntry).message;
  for (let i = 1; i <= 5; i++) assert.equal(await next(), `l${i}`);
  bus.write('a', app('l21'));
  assert.match(await next(), /^Error L11 \(Tail buffer overflow\) -> This tail session dropped 15 messages since \d{4}-.*\+00:00\.$/);
  assert.equal(await next(), 'l21');
  tail.close();
  assert.equal((await it.next()).done, true);
});

test('forgetting an app drops its history and ends its tails', async () => {
  const bus = createLogBus();
  bus.write('a', app('x'));
  const tail = bus.tail('a');
  const done = (async () => {
    for await (const _ of tail) void _;
  })();
  bus.forget('a');
  await done;
  assert.equal(bus.recent('a', 10).length, 0);
});

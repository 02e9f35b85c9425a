import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEventBus } from './events.js';

type E = { type: 'a' } | { type: 'b' };

test('a subscriber that throws neither fails the publisher nor keeps later subscribers from the event', () => {
  const failures: string[] = [];
  const bus = createEventBus<E>((error, e) => failures.push(`${e.type}: ${(error as Error).message}`));
  const heard: string[] = [];
  bus.subscribe(() => {
    throw new Error('boom');
  });
  const off = bus.subscribe((e) => heard.push(e.type));
  bus.publish({ type: 'a' });
  off();
  bus.publish({ type: 'b' });
  assert.deepEqual(heard, ['a']);
  assert.deepEqual(failures, ['a: boom', 'b: boom']);
});

test('without an error handler the first error reaches the publisher, after every subscriber heard the event', () => {
  const bus = createEventBus<E>();
  const heard: string[] = [];
  bus.subscribe(() => {
    throw new Error('first');
  });
  bus.subscribe(() => {
    throw new Error('second');
  });
  bus.subscribe((e) => heard.push(e.type));
  assert.throws(() => bus.publish({ type: 'a' }), /first/);
  assert.deepEqual(heard, ['a']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSlotTable } from './slots.js';

const dyno = (id: string, port: number) => ({ dynoId: id, dynoName: `web.${id}`, host: '127.0.0.1', port });
const route = (appId: string, backends: ReturnType<typeof dyno>[]) => ({ appId, maintenance: false, webWanted: true, backends });

test('fills seats, frees removed dynos to maintenance and reuses the seat freed longest ago', () => {
  const t = createSlotTable(1, 2);
  assert.equal(t.claim('a'), 'app_0');
  assert.deepEqual(t.route(route('a', [dyno('1', 5001)])).commands, [
    'set server app_0/dyno1 addr 127.0.0.1 port 5001', 'set server app_0/dyno1 state ready', 'set map apps.map app_0 up',
  ]);
  // The new dyno is ready before the old one leaves: no moment without a server.
  assert.deepEqual(t.route(route('a', [dyno('2', 5002)])).commands, [
    'set server app_0/dyno2 addr 127.0.0.1 port 5002', 'set server app_0/dyno2 state ready', 'set server app_0/dyno1 state maint',
  ]);
  assert.deepEqual(t.seatOf('1'), { backend: 'app_0', server: 'dyno1', live: false });
  assert.deepEqual(t.resolve('app_0', 'dyno1'), { appId: 'a', dynoName: 'web.1' });
  const next = t.route(route('a', [dyno('2', 5002), dyno('3', 5003), dyno('4', 5004)]));
  assert.equal(next.overflow, 1);
  assert.deepEqual(next.commands, ['set server app_0/dyno1 addr 127.0.0.1 port 5003', 'set server app_0/dyno1 state ready']);
});

test('a switch-over with every seat taken still readies what fits before freeing the rest', () => {
  const t = createSlotTable(1, 3);
  t.claim('a');
  t.route(route('a', [dyno('1', 5001), dyno('2', 5002)]));
  const next = t.route(route('a', [dyno('3', 5003), dyno('4', 5004)]));
  assert.equal(next.overflow, 0);
  assert.deepEqual(next.commands, [
    'set server app_0/dyno3 addr 127.0.0.1 port 5003', 'set server app_0/dyno3 state ready',
    'set server app_0/dyno1 state maint', 'set server app_0/dyno2 state maint',
    'set server app_0/dyno1 addr 127.0.0.1 port 5004', 'set server app_0/dyno1 state ready',
  ]);
});

test('an exhausted pool says so; a released slot goes to the next app and answers H14 until then', () => {
  const t = createSlotTable(1, 1);
  t.claim('a');
  assert.equal(t.claim('b'), null);
  assert.deepEqual(t.release('a'), ['set map apps.map app_0 H14']);
  assert.equal(t.claim('b'), 'app_0');
  assert.deepEqual(t.route({ appId: 'b', maintenance: true, webWanted: true, backends: [] }).commands, ['set map apps.map app_0 H80']);
  assert.deepEqual(t.replay(), ['set map apps.map app_0 H80']);
});

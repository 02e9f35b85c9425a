import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseDataPlane } from './choice.js';

const installed = () => null;
const missing = () => 'no haproxy';

test('auto picks HAProxy when it is installed, else the Node plane, and says why', () => {
  assert.deepEqual(chooseDataPlane({ routerDataPlane: 'auto' }, installed), { plane: 'haproxy', reason: 'auto: haproxy is installed' });
  const fallback = chooseDataPlane({ routerDataPlane: 'auto' }, missing);
  assert.equal(fallback.plane, 'node');
  assert.match(fallback.reason, /not installed.*haproxy/);
});

test('an explicit choice wins, even when HAProxy is missing (start then fails with the install hint)', () => {
  assert.equal(chooseDataPlane({ routerDataPlane: 'node' }, installed).plane, 'node');
  assert.equal(chooseDataPlane({ routerDataPlane: 'haproxy' }, missing).plane, 'haproxy');
});

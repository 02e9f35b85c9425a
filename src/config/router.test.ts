import assert from 'node:assert/strict';
import { it } from 'node:test';
import { resolveConfig } from './index.js';

it('takes HAProxy thread counts from 1 to 64, and leaves the default to the plane when none is given', () => {
  const env = { CUPAAS_HOME: '/tmp/x' };
  assert.equal(resolveConfig({}, env).routerThreads, null);
  assert.equal(resolveConfig({}, { ...env, CUPAAS_ROUTER_THREADS: '4' }).routerThreads, 4);
  for (const bad of ['0', '65', 'two']) assert.throws(() => resolveConfig({}, { ...env, CUPAAS_ROUTER_THREADS: bad }), /CUPAAS_ROUTER_THREADS/);
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { resolveConfig } from './index.js';

it('keeps ten dyno networks wired ahead by default, none with 0, and at most 100', () => {
  const env = { CUPAAS_HOME: '/tmp/x' };
  assert.equal(resolveConfig({}, env).sandbox.warmNetworks, 10);
  assert.equal(resolveConfig({}, { ...env, CUPAAS_SANDBOX_WARM_NETWORKS: '0' }).sandbox.warmNetworks, 0);
  assert.equal(resolveConfig({}, { ...env, CUPAAS_SANDBOX_WARM_NETWORKS: '100' }).sandbox.warmNetworks, 100);
  for (const bad of ['101', '-1', 'ten']) assert.throws(() => resolveConfig({}, { ...env, CUPAAS_SANDBOX_WARM_NETWORKS: bad }), /CUPAAS_SANDBOX_WARM_NETWORKS/);
});

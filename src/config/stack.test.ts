import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DEFAULT_STACK_PATH, resolveConfig } from './index.js';

it("gives builds and dynos the stack's PATH, never the operator's, and pip mirrors from the host", () => {
  const operator = { PATH: '/root/.pyenv/shims:/usr/bin:/bin', CUPAAS_HOME: '/tmp/x' };
  const plain = resolveConfig({}, operator);
  assert.equal(plain.stackPath, DEFAULT_STACK_PATH);
  assert.equal(plain.hostPath, operator.PATH);
  assert.equal(plain.pipIndexUrl, null);
  assert.equal(plain.pipFindLinks, null);

  const set = resolveConfig({}, {
    ...operator, CUPAAS_STACK_PATH: '/opt/stack/bin:/usr/bin', PIP_INDEX_URL: 'http://host-env/simple/',
    CUPAAS_PIP_INDEX_URL: 'http://mirror/simple/', PIP_FIND_LINKS: '/srv/wheels',
  });
  assert.equal(set.stackPath, '/opt/stack/bin:/usr/bin');
  assert.equal(set.pipIndexUrl, 'http://mirror/simple/', 'the CUPAAS_ setting wins over a plain PIP_ one');
  assert.equal(set.pipFindLinks, '/srv/wheels');
});

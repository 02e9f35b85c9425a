/**
 * Nodes and the stack export on a single-machine runtime: the API answers
 * 422 with what to do instead, and changes nothing. (On a swarm they are
 * exercised end to end in test/e2e/swarm-platform.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPlatform, type TestPlatform } from '../support/platform.js';

describe('nodes API on the local runtime', () => {
  let p: TestPlatform;
  before(async () => {
    p = await startPlatform();
  });
  after(() => p.cleanup());

  test('nodes, join command and drain say they need the swarm runtime', async () => {
    for (const [method, path] of [['GET', '/nodes'], ['GET', '/nodes/join-command'], ['POST', '/nodes/swarm-n1/actions/drain']] as const) {
      const r = await p.api(method, path);
      assert.equal(r.status, 422, path);
      assert.equal(r.body.id, 'invalid_params');
      assert.match(r.body.message, /--runtime swarm/);
    }
    const cli = await p.cli(['nodes']);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr, /--runtime swarm/);
  });

  test('compose-export of an app without a release image says how to get one', async () => {
    assert.equal((await p.api('POST', '/apps', { name: 'no-image' })).status, 201);
    const r = await p.api('GET', '/apps/no-image/compose-export');
    assert.equal(r.status, 422);
    assert.match(r.body.message, /no release image/);
  });
});

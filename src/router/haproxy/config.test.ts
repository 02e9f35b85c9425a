import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultThreads, renderConfig, type HaproxyLayout } from './config.js';

const layout: HaproxyLayout = {
  listen: '127.0.0.1', port: 8080, socketPath: '/tmp/x/haproxy.sock', logPort: 9000, appSlots: 2, dynoSlots: 2, threads: 3,
  connectTimeoutMs: 5000, firstByteTimeoutMs: 30_000, tlsPort: null, crtList: '/tmp/x/certs.list',
};

test('HAProxy runs the threads it is given, by default half the CPUs and at least one', () => {
  assert.match(renderConfig(layout), /^ {2}nbthread 3$/m);
  assert.deepEqual([1, 2, 3, 4, 16].map(defaultThreads), [1, 1, 1, 2, 8]);
});

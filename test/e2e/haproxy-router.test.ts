/**
 * The platform with the HAProxy data plane (CUPAAS_ROUTER_DATA_PLANE=haproxy):
 * the same push, scale and logs flow as the embedded router, bytes forwarded
 * by a real haproxy driven through its Runtime API. Slow: builds with npm.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { haproxyMissing } from '../../src/router/index.js';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const missing = haproxyMissing();

describe('platform with the HAProxy data plane', { skip: missing ? `haproxy is not installed: ${missing}` : false }, () => {
  let p: TestPlatform;
  before(async () => {
    p = await startPlatform({ env: { CUPAAS_ROUTER_DATA_PLANE: 'haproxy', CUPAAS_STOP_TIMEOUT: '5' } });
    writeNetrc(p);
  });
  after(() => p?.cleanup());

  const get = (host: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const router = new URL(p.routerUrl as string);
      const req = request({ host: router.hostname, port: router.port, headers: { Host: host } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('routes a pushed app, balances over scaled dynos and logs router lines', async () => {
    assert.equal((await get('nobody.localhost')).status, 404);
    assert.equal((await p.api('POST', '/apps', { name: 'hap' })).status, 201);
    const tree = await appWorkTree(p, 'hap', 'node-hello');
    await tree.commit('first');
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    await waitFor(async () => (await get('hap.localhost')).status === 200, { timeoutMs: 90_000, intervalMs: 200, what: 'hap to serve' });
    assert.match((await get('hap.localhost')).body, /Hello from node-hello! dyno=web\.1/);

    assert.equal((await p.cli(['ps:scale', 'web=2', '-a', 'hap'])).code, 0);
    const seen = new Set<string>();
    await waitFor(async () => {
      const dyno = /dyno=(\S+)/.exec((await get('hap.localhost')).body)?.[1];
      if (dyno) seen.add(dyno);
      return seen.size === 2;
    }, { timeoutMs: 60_000, intervalMs: 20, what: 'both dynos answering through haproxy' });

    const logs = await p.cli(['logs', '-a', 'hap', '-s', 'router']);
    assert.match(logs.stdout, /heroku\[router\]: at=info method=GET path="\/" host=hap\.localhost .*dyno=web\.[12] .*status=200/);

    assert.equal((await p.cli(['ps:scale', 'web=0', '-a', 'hap'])).code, 0);
    await waitFor(async () => {
      const r = await get('hap.localhost');
      return r.status === 503 && /H14|No web processes/.test(r.body);
    }, { timeoutMs: 60_000, intervalMs: 200, what: 'H14 once web is scaled to 0' });
  });
});

/**
 * The health-check path (`.cupaas` `healthcheck`) end to end: a pushed release
 * whose new web dyno binds $PORT but fails `GET /health` is never switched to
 * and fails like a boot failure while the old release keeps serving; a healthy
 * release then switches over.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc, type AppWorkTree } from '../support/push.js';

const APP = 'hc-app';

/** The app answers `/` with its version; `/health` with HEALTH_STATUS. */
const server = (version: string, healthStatus: number) => `
const http = require('http');
http.createServer((req, res) => {
  if (req.url === '/health') { res.statusCode = ${healthStatus}; return res.end('health ${healthStatus}'); }
  res.end('${version}');
}).listen(Number(process.env.PORT));
`;

const files = (version: string, healthStatus: number) => ({
  Procfile: 'web: node server.js\n',
  '.cupaas': 'runtime: generic\nhealthcheck: /health\n',
  'server.js': server(version, healthStatus),
});

describe('health-check path on deploys', () => {
  let p: TestPlatform;
  let tree: AppWorkTree;
  before(async () => {
    p = await startPlatform({ env: { CUPAAS_BOOT_TIMEOUT: '4' } });
    writeNetrc(p);
    assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
    tree = await appWorkTree(p, APP);
  });
  after(() => p.cleanup());

  /** GET through the router, as a visitor would. */
  const visit = (path = '/') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${p.routerUrl}${path}`, { headers: { Host: `${APP}.localhost` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const release = async (version: number) => (await p.api('GET', `/apps/${APP}/releases/${version}`)).body as Record<string, any>;
  const deploy = async (version: string, healthStatus: number) => {
    await tree.commit(version, files(version, healthStatus));
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
  };

  it('records the path with the slug and switches to a healthy release', async (t) => {
    if (!p.routerUrl) return t.skip('the router is not wired');
    await deploy('one', 200);
    await waitFor(async () => (await release(2)).status === 'succeeded', { what: 'v2 succeeded', timeoutMs: 20_000 });
    assert.deepEqual(await visit(), { status: 200, body: 'one' });
    const slug = (await p.api('GET', `/apps/${APP}/slugs/${(await release(2)).slug.id}`)).body as Record<string, unknown>;
    assert.equal(slug.health_check_path, '/health');
  });

  it('a release failing its health check fails like a boot failure; the old one serves throughout', async (t) => {
    if (!p.routerUrl) return t.skip('the router is not wired');
    await deploy('two', 500);
    const seen = new Set<string>();
    const failed = await waitFor(
      async () => {
        const r = await visit();
        seen.add(`${r.status} ${r.body}`);
        const v3 = await release(3);
        return v3.status === 'failed' ? v3 : undefined;
      },
      { what: 'v3 failed', timeoutMs: 30_000, intervalMs: 200 },
    );
    assert.match(String(failed.status_reason), /web\.1 failed to boot/);
    assert.deepEqual([...seen], ['200 one'], 'only the old release answered');
    assert.deepEqual(await visit(), { status: 200, body: 'one' });
    const dynos = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ release: { version: number } }>;
    assert.ok(dynos.every((d) => d.release.version === 2), JSON.stringify(dynos));
  });

  it('a healthy release after the failed one switches over', async (t) => {
    if (!p.routerUrl) return t.skip('the router is not wired');
    await deploy('three', 204);
    await waitFor(async () => (await release(4)).status === 'succeeded', { what: 'v4 succeeded', timeoutMs: 20_000 });
    await waitFor(async () => (await visit()).body === 'three', { what: 'v4 serves' });
  });
});

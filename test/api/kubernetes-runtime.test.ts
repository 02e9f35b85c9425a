/**
 * A real server started with `--runtime kubernetes` on a machine without a
 * cluster: it starts (the driver says what is missing), apps' web URL is the
 * Ingress host, host-served add-ons are refused with what to configure while
 * external ones attach, and a deploy reaches the driver through the
 * reconciler, which reports why the runtime did not take it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../src/shared/net.js';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { seedFixtureRelease } from '../support/runtime-fixtures.js';

describe('server with --runtime kubernetes and no cluster', () => {
  let p: TestPlatform;
  const app = 'k8s-info';
  before(async () => {
    p = await startPlatform({
      args: ['--runtime', 'kubernetes'],
      env: { KUBECONFIG: '', CUPAAS_BASE_DOMAIN: 'apps.test', CUPAAS_REGISTRY_PORT: String(await freePort('127.0.0.1')) },
    });
    assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
  });
  after(() => p?.cleanup());

  test('the web URL is the Ingress host, in the API and `apps:info`', async () => {
    const r = await p.api('GET', `/apps/${app}`);
    assert.equal(r.body.web_url, `http://${app}.apps.test/`);
    const info = await p.cli(['apps:info', '-a', app]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`Web URL:\\s+http://${app}\\.apps\\.test/`));
  });

  test('addons:create of a host-served add-on is refused with what to set; nothing changes', async () => {
    const r = await p.api('POST', `/apps/${app}/addons`, { plan: 'postgres' });
    assert.equal(r.status, 422);
    assert.equal(r.body.id, 'invalid_params');
    assert.match(r.body.message, /not reachable from the cluster's pods\. Set CUPAAS_KUBERNETES_PLATFORM_HOST/);
    assert.deepEqual((await p.api('GET', `/apps/${app}/addons`)).body, []);
    const cli = await p.cli(['addons:create', 'redis', '-a', app]);
    assert.notEqual(cli.code, 0);
    assert.match(cli.stderr + cli.stdout, /CUPAAS_KUBERNETES_PLATFORM_HOST/);
  });

  test('an external add-on by URL attaches', async () => {
    const r = await p.api('POST', `/apps/${app}/addons`, {
      plan: 'external', attachment: { name: 'DATABASE' }, config: { url: 'postgres://u:p@db.example.test:5432/x' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });

  test('a release reaches the driver through the reconciler, which says why the runtime did not take it', async () => {
    await seedFixtureRelease(p.home, app);
    await waitFor(() => /Runtime did not accept v\d+: /.test(p.output()) || /applying a formation failed/.test(p.output()), {
      timeoutMs: 120_000, what: 'the apply attempt',
    });
    assert.match(p.output(), /no Kubernetes cluster configured: set KUBECONFIG|has no image: the kubernetes runtime runs release images/);
    assert.deepEqual((await p.api('GET', `/apps/${app}/dynos`)).body, []);
  });
});

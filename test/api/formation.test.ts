/**
 * Formation and dynos API (and the ps CLI) against a real server. The slug
 * is packed by the test and recorded in the server's store, as a build would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { seedFixtureRelease } from '../support/runtime-fixtures.js';

describe('formation and dynos API', () => {
  let p: TestPlatform;
  const app = 'fmt-app';
  before(async () => {
    p = await startPlatform({ env: { CUPAAS_BOOT_TIMEOUT: '10' } });
    assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
    await seedFixtureRelease(p.home, app);
  });
  after(() => p.cleanup());

  const dynos = async () => (await p.api('GET', `/apps/${app}/dynos`)).body as Array<Record<string, any>>;

  test('GET formation lists the slug\'s types with Heroku\'s defaults', async () => {
    const r = await p.api('GET', `/apps/${app}/formation`);
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.map((f: any) => [f.type, f.quantity, f.size, f.dyno_size.name, f.command]),
      [['web', 1, 'standard-1x', 'standard-1x', 'node server.js'], ['worker', 0, 'standard-1x', 'standard-1x', 'node worker.js']],
    );
    assert.equal((await p.api('GET', `/apps/${app}/formation/web`)).body.quantity, 1);
    assert.equal((await p.api('GET', `/apps/${app}/formation/nope`)).status, 404);
  });

  test('the web dyno runs and is listed with state, release and isolation', async () => {
    const [web] = await waitFor(async () => {
      const ds = await dynos();
      return ds.length === 1 && ds[0]!.state === 'up' ? ds : undefined;
    }, { timeoutMs: 20_000, what: 'web.1 up' });
    assert.equal(web!.name, 'web.1');
    assert.equal(web!.type, 'web');
    assert.equal(web!.release.version, 2);
    assert.equal(typeof web!.isolation, 'string');
    assert.equal((await p.api('GET', `/apps/${app}/dynos/web.1`)).body.id, web!.id);
    assert.equal((await p.api('GET', `/apps/${app}/dynos/web.9`)).status, 404);
  });

  test('PATCH formation validates types, quantities and sizes', async () => {
    const unknown = await p.api('PATCH', `/apps/${app}/formation`, { updates: [{ type: 'clock', quantity: 1 }] });
    assert.equal(unknown.status, 422);
    assert.match(unknown.body.message, /web, worker/);
    const size = await p.api('PATCH', `/apps/${app}/formation/web`, { size: 'huge' });
    assert.equal(size.status, 422);
    assert.match(size.body.message, /standard-2x/);
    assert.equal((await p.api('PATCH', `/apps/${app}/formation/web`, { quantity: '-5' })).status, 422);
    assert.equal((await p.api('PATCH', `/apps/${app}/formation/web`, { quantity: 'lots' })).status, 422);
  });

  test('PATCH formation scales relatively and sets sizes (Heroku CLI shapes)', async () => {
    const r = await p.api('PATCH', `/apps/${app}/formation`, { updates: [{ type: 'web', quantity: '+1' }] });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.map((f: any) => [f.type, f.quantity]), [['web', 2]]);
    const one = await p.api('PATCH', `/apps/${app}/formation/web`, { quantity: 1, dyno_size: { name: 'standard-2x' } });
    assert.deepEqual([one.body.quantity, one.body.size], [1, 'standard-2x']);
    await waitFor(async () => {
      const ds = await dynos();
      return ds.length === 1 && ds[0]!.size === 'standard-2x' && ds[0]!.state === 'up';
    }, { timeoutMs: 20_000, what: 'one standard-2x dyno' }).catch(() => undefined);
  });

  test('DELETE dynos/web.1 restarts it; stop is a restart; unknown dynos are 404', async () => {
    const before = (await dynos()).find((d) => d.name === 'web.1' && d.state === 'up')!;
    assert.equal((await p.api('DELETE', `/apps/${app}/dynos/web.1`)).status, 202);
    await waitFor(async () => (await dynos()).some((d) => d.name === 'web.1' && d.state === 'up' && d.id !== before.id), {
      timeoutMs: 20_000, what: 'a new web.1',
    });
    assert.equal((await p.api('POST', `/apps/${app}/dynos/web.1/actions/stop`)).status, 202);
    assert.equal((await p.api('DELETE', `/apps/${app}/dynos/nope.1`)).status, 404);
    assert.equal((await p.api('DELETE', `/apps/${app}/formations/web`)).status, 202);
    assert.equal((await p.api('DELETE', `/apps/${app}/formations/nope`)).status, 404);
    assert.equal((await p.api('DELETE', `/apps/${app}/dynos`)).status, 202);
  });

  test('CLI: ps, ps:scale, ps:type, ps:restart, ps:stop', async () => {
    const scale = await p.cli(['ps:scale', 'web=1', 'worker+1', '-a', app]);
    assert.equal(scale.code, 0, scale.stderr);
    assert.match(scale.stdout, /web=1:standard-2x worker=1:standard-1x/);
    const type = await p.cli(['ps:type', 'worker=standard-2x', '-a', app]);
    assert.equal(type.code, 0, type.stderr);
    assert.match(type.stdout, /worker\s+standard-2x\s+1/);
    await waitFor(async () => (await dynos()).some((d) => d.name === 'worker.1' && d.state === 'up' && d.size === 'standard-2x'), {
      timeoutMs: 60_000, what: 'worker.1 resized',
    });
    const ps = await p.cli(['ps', '-a', app]);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /=== worker \(standard-2x\): node worker\.js \(\d\)/);
    assert.match(ps.stdout, /worker\.1: up .* isolation: /);
    const json = JSON.parse((await p.cli(['ps', '--json', '-a', app])).stdout) as Array<{ name: string }>;
    assert.ok(json.some((d) => d.name === 'worker.1'));
    assert.equal((await p.cli(['ps:restart', 'worker', '-a', app])).code, 0);
    assert.equal((await p.cli(['ps:stop', 'worker.1', '-a', app])).code, 0);
    const bad = await p.cli(['ps:scale', 'web=x', '-a', app]);
    assert.notEqual(bad.code, 0);
  });
});

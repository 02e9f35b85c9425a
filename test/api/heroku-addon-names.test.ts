/**
 * Heroku's add-on names and request shapes: `heroku-postgresql[:plan]`,
 * `heroku-redis`, `jawsdb`/`cleardb`, `mongolab`/`ormongo` map to cupaas's
 * providers; `plan` is a name or `{name}`; `attachment: {name}` names the config var.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  assert.equal((await p.api('POST', '/apps', { name: 'names' })).status, 201);
});
after(() => p?.cleanup());

describe('Heroku add-on names', () => {
  it('creates postgres from {"plan": {"name": "heroku-postgresql:essential-0"}} with an attachment name', async () => {
    const r = await p.api('POST', '/apps/names/addons', { plan: { name: 'heroku-postgresql:essential-0' }, attachment: { name: 'MAIN_DB' }, config: { flag: true } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.addon_service.name, 'postgres');
    assert.deepEqual(r.body.config_vars, ['MAIN_DB_URL']);
    const vars = (await p.api('GET', '/apps/names/config-vars')).body as Record<string, string>;
    assert.match(vars.MAIN_DB_URL ?? '', /^postgres(ql)?:\/\//);
  });

  it('maps heroku-redis to redis, and names the provider for jawsdb, cleardb, mongolab and ormongo', async () => {
    const redis = await p.api('POST', '/apps/names/addons', { plan: 'heroku-redis' });
    assert.equal(redis.status, 201, JSON.stringify(redis.body));
    assert.equal(redis.body.addon_service.name, 'redis');
    const services = Object.fromEntries(
      ((await p.api('GET', '/addon-services')).body as Array<{ name: string; available: boolean }>).map((s) => [s.name, s.available]),
    );
    for (const [plan, service] of [['jawsdb', 'mysql'], ['cleardb:ignite', 'mysql'], ['mongolab', 'mongodb'], ['ormongo', 'mongodb']] as const) {
      const r = await p.api('POST', '/apps/names/addons', { plan: { name: plan } });
      if (services[service]) {
        assert.equal(r.status, 201, JSON.stringify(r.body));
        assert.equal(r.body.addon_service.name, service);
      } else {
        // The host lacks the server: the error must still name the provider the plan maps to.
        assert.ok(r.status >= 400 && r.status < 600, JSON.stringify(r.body));
        assert.match(r.body.message, new RegExp(service === 'mongodb' ? 'mongo' : 'mysql|mariadb', 'i'));
      }
    }
  });

  it('refuses a plan object without a name', async () => {
    const r = await p.api('POST', '/apps/names/addons', { plan: { id: 'x' } });
    assert.equal(r.status, 422);
    assert.match(r.body.message, /plan/);
  });
});

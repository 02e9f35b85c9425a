/**
 * Add-ons through the Platform API against a real server and real database
 * servers: errors change nothing, config vars and releases, isolation between
 * apps, backup/restore, rotation, rollback and destroy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { crossUrl, KV_CLIENTS } from '../support/addon-clients.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

const pg = KV_CLIENTS.postgres!;
let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  for (const app of ['addon-a', 'addon-b']) assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
});
after(async () => p.cleanup());

const config = async (app: string): Promise<Record<string, string>> => (await p.api('GET', `/apps/${app}/config-vars`)).body;
const releases = async (app: string): Promise<{ version: number; description: string }[]> =>
  (await p.api('GET', `/apps/${app}/releases`)).body;
const create = async (app: string, body: unknown) => {
  const r = await p.api('POST', `/apps/${app}/addons`, body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body as { id: string; name: string; config_vars: string[]; release: { version: number } };
};

describe('add-ons API', () => {
  it('lists the services, saying what to install for those the host lacks', async () => {
    const r = await p.api('GET', '/addon-services');
    assert.equal(r.status, 200);
    const byName = Object.fromEntries((r.body as { name: string }[]).map((s) => [s.name, s])) as Record<string, any>;
    assert.deepEqual(Object.keys(byName).sort(), ['external', 'mongodb', 'mysql', 'postgres', 'redis']);
    assert.equal(byName.postgres.available, true);
    if (!byName.mongodb.available) assert.match(byName.mongodb.unavailable_reason, /mongod/);
  });

  it('refuses bad requests with clear 4xx errors and changes nothing', async () => {
    const before = { config: await config('addon-a'), releases: (await releases('addon-a')).length };
    const cases: [unknown, number, RegExp][] = [
      [{ plan: 'nosuchdb' }, 404, /Supported services: postgres/],
      [{ plan: 'postgres:gold' }, 422, /no plan "gold".*dev/],
      [{ plan: 'postgres', name: 'Bad Name!' }, 422, /Invalid add-on name/],
      [{ plan: 'postgres', attachment: { name: 'lower' } }, 422, /Invalid attachment name/],
      [{ plan: 'external', attachment: { name: 'MAILER' } }, 422, /needs the URL/],
      [{ plan: 'external', attachment: { name: 'MAILER' }, config: { url: 'not a url' } }, 422, /is not a URL/],
      [{ plan: 'external', config: { url: 'smtp://x@mail.example.com' } }, 422, /--as NAME/],
      [{ plan: 'postgres', bogus: 1 }, 422, /unknown field/],
      [{}, 422, /plan/],
    ];
    for (const [body, status, message] of cases) {
      const r = await p.api('POST', '/apps/addon-a/addons', body);
      assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
      assert.match(r.body.message, message);
      assert.ok(r.body.id);
    }
    const services = (await p.api('GET', '/addon-services')).body as { name: string; available: boolean }[];
    if (!services.find((s) => s.name === 'mongodb')!.available) {
      const r = await p.api('POST', '/apps/addon-a/addons', { plan: 'mongodb' });
      assert.equal(r.status, 422);
      assert.match(r.body.message, /mongod.*install/i);
    }
    assert.equal((await p.api('GET', '/apps/addon-a/addons/nosuch')).status, 404);
    assert.deepEqual((await p.api('GET', '/apps/addon-a/addons')).body, []);
    assert.deepEqual(await config('addon-a'), before.config);
    assert.equal((await releases('addon-a')).length, before.releases);
  });

  let dbA: Awaited<ReturnType<typeof create>>;
  it('creates postgres as DATABASE_URL in a release, then POSTGRES_URL, REDIS_URL, MYSQL_URL and --as names', async () => {
    dbA = await create('addon-a', { plan: 'postgres' });
    assert.deepEqual(dbA.config_vars, ['DATABASE_URL']);
    const url = (await config('addon-a')).DATABASE_URL!;
    // Loopback, or the services address (from the sandbox pool) where dynos live in their own network.
    assert.match(url, /^postgres:\/\/a_[0-9a-f]+:[^@]+@(127\.0\.0\.1|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+):\d+\/a_[0-9a-f]+$/);
    const latest = (await releases('addon-a')).at(-1)!;
    assert.equal(latest.version, dbA.release.version);
    assert.match(latest.description, new RegExp(`Attach DATABASE \\(${dbA.name}\\)`));
    await pg.put(url, 'row', 'from-a');

    assert.deepEqual((await create('addon-a', { plan: 'heroku-postgresql' })).config_vars, ['POSTGRES_URL']);
    assert.deepEqual((await create('addon-a', { plan: 'redis' })).config_vars, ['REDIS_URL']);
    assert.deepEqual((await create('addon-a', { plan: 'mysql:dev' })).config_vars, ['MYSQL_URL']);
    assert.deepEqual((await create('addon-a', { plan: 'redis', attachment: { name: 'CACHE' } })).config_vars, ['CACHE_URL']);
    const dup = await p.api('POST', '/apps/addon-a/addons', { plan: 'redis', attachment: { name: 'CACHE' } });
    assert.equal(dup.status, 409);
    assert.match(dup.body.message, /already used/);
    const ext = await create('addon-a', { plan: 'external', attachment: { name: 'MAILER' }, config: { url: 'smtp://u:p@mail.example.com:587' } });
    assert.equal((await config('addon-a')).MAILER_URL, 'smtp://u:p@mail.example.com:587');
    const listed = (await p.api('GET', '/apps/addon-a/addons')).body as { name: string }[];
    assert.equal(listed.length, 6);
    const info = await p.api('GET', `/apps/addon-a/addons/${dbA.name}`);
    assert.equal(info.body.health.ok, true);
    assert.equal((await p.api('DELETE', `/apps/addon-a/addons/${ext.name}`)).status, 200);
    assert.equal((await config('addon-a')).MAILER_URL, undefined);
  });

  it('keeps two apps\' databases apart: one app\'s credentials are refused on the other\'s database', async () => {
    await create('addon-b', { plan: 'postgres' });
    const a = (await config('addon-a')).DATABASE_URL!;
    const b = (await config('addon-b')).DATABASE_URL!;
    assert.equal(await pg.get(b, 'row'), null);
    await assert.rejects(pg.get(crossUrl(a, b), 'row'), /permission denied|not permitted|authentication failed/);
    await assert.rejects(pg.get(crossUrl(b, a), 'row'), /permission denied|not permitted|authentication failed/);
    const mysqlA = (await config('addon-a')).MYSQL_URL!;
    const mysqlB = (await create('addon-b', { plan: 'mysql' })).config_vars[0]!;
    await KV_CLIENTS.mysql!.put(mysqlA, 'row', 'from-a');
    await assert.rejects(KV_CLIENTS.mysql!.get(crossUrl(mysqlA, (await config('addon-b'))[mysqlB]!), 'row'), /denied/);
  });

  it('backs up, restores deleted rows (with confirmation) and serves the backup for download', async () => {
    const url = (await config('addon-a')).DATABASE_URL!;
    const b = await p.api('POST', `/apps/addon-a/addons/${dbA.name}/backups`);
    assert.equal(b.status, 201);
    assert.equal(b.body.name, 'b001');
    await pg.del(url, 'row');
    assert.equal(await pg.get(url, 'row'), null);
    const unconfirmed = await p.api('POST', `/apps/addon-a/addons/${dbA.name}/backups/b001/restore`, {});
    assert.equal(unconfirmed.status, 422);
    assert.equal(await pg.get(url, 'row'), null);
    const r = await p.api('POST', `/apps/addon-a/addons/${dbA.name}/backups/b001/restore`, { confirm: 'addon-a' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(await pg.get(url, 'row'), 'from-a');
    const list = (await p.api('GET', `/apps/addon-a/addons/${dbA.name}/backups`)).body as { name: string; size: number }[];
    assert.deepEqual(list.map((x) => x.name), ['b001']);
    const dl = await fetch(`${p.apiUrl}/apps/addon-a/addons/${dbA.name}/backups/b001/download`, {
      headers: { Authorization: `Bearer ${p.apiKey}` },
    });
    assert.equal(dl.status, 200);
    const bytes = Buffer.from(await dl.arrayBuffer());
    assert.equal(bytes.length, list[0]!.size);
    assert.equal(bytes.subarray(0, 5).toString(), 'PGDMP');
  });

  it('rotates credentials: a new URL in a release; the old password stops working', async () => {
    const old = (await config('addon-a')).DATABASE_URL!;
    const r = await p.api('POST', `/apps/addon-a/addons/${dbA.name}/credentials/rotate`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const fresh = (await config('addon-a')).DATABASE_URL!;
    assert.notEqual(fresh, old);
    assert.equal(await pg.get(fresh, 'row'), 'from-a');
    await assert.rejects(pg.get(old, 'row'), /password authentication failed/);
    assert.match((await releases('addon-a')).at(-1)!.description, /Rotate DATABASE credentials/);
  });

  it('never rolls back an add-on: after a rollback the current URL and data stay', async () => {
    const url = (await config('addon-a')).DATABASE_URL!;
    const r = await p.api('POST', '/apps/addon-a/releases', { release: '1' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal((await config('addon-a')).DATABASE_URL, url);
    assert.equal(await pg.get(url, 'row'), 'from-a');
  });

  it('destroys an add-on after a final backup: config var removed, data and credentials gone', async () => {
    const url = (await config('addon-b')).DATABASE_URL!;
    await pg.put(url, 'doomed', 'x');
    const name = ((await p.api('GET', '/apps/addon-b/addons')).body as { name: string; config_vars: string[] }[])
      .find((a) => a.config_vars.includes('DATABASE_URL'))!.name;
    const r = await p.api('DELETE', `/apps/addon-b/addons/${name}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.state, 'deprovisioned');
    assert.equal(r.body.final_backup.name, 'b001');
    assert.equal((await config('addon-b')).DATABASE_URL, undefined);
    await assert.rejects(pg.get(url, 'doomed'));
    assert.equal((await p.api('GET', `/apps/addon-b/addons/${name}`)).status, 404);
  });
});

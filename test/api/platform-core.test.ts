/** Platform API over real HTTP against a real `cupaas server` (issue 2). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
});
after(() => p.cleanup());

const isError = (body: any, id: string) => {
  assert.equal(body.id, id, JSON.stringify(body));
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0);
};

describe('conventions', () => {
  it('answers with Request-Id, JSON content type and the account', async () => {
    const r = await p.api('GET', '/account');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('request-id') ?? '', /^[0-9a-f-]{36}$/);
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.body.email, 'admin@cupaas.local');
    assert.ok(Number(r.headers.get('ratelimit-remaining')) > 0);
  });

  it('needs a valid key: none, wrong; Basic (which a browser may replay) is refused outside git and login', async () => {
    const none = await fetch(`${p.apiUrl}/apps`);
    assert.equal(none.status, 401);
    isError(await none.json(), 'unauthorized');
    const wrong = await p.api('GET', '/apps', undefined, { Authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.message, /cupaas login/);
    const basic = Buffer.from(`anyone:${p.apiKey}`).toString('base64');
    const refused = await p.api('GET', '/apps', undefined, { Authorization: `Basic ${basic}` });
    assert.equal(refused.status, 401);
    assert.match(refused.body.message, /Bearer/);
  });

  it('refuses other API versions with 406 and unknown endpoints with 404', async () => {
    const r = await p.api('GET', '/apps', undefined, { Accept: 'application/vnd.heroku+json; version=2' });
    assert.equal(r.status, 406);
    isError(r.body, 'not_acceptable');
    const nf = await p.api('GET', '/nothing-here');
    assert.equal(nf.status, 404);
    isError(nf.body, 'not_found');
  });

  it('answers 304 to If-None-Match with the ETag', async () => {
    const r = await p.api('GET', '/account');
    const again = await p.api('GET', '/account', undefined, { 'If-None-Match': r.headers.get('etag')! });
    assert.equal(again.status, 304);
  });
});

describe('apps', () => {
  it('creates with a given or a generated name, shows, renames and deletes', async () => {
    const created = await p.api('POST', '/apps', { name: 'core-one' });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'core-one');
    assert.match(created.body.web_url, /^http:\/\/core-one\.localhost:\d+\/$/);
    assert.equal(created.body.git_url, `${p.apiUrl}/core-one.git`);
    for (const k of ['id', 'created_at', 'updated_at', 'owner', 'region', 'stack', 'build_stack']) assert.ok(k in created.body, k);

    const generated = await p.api('POST', '/apps', {});
    assert.equal(generated.status, 201);
    assert.match(generated.body.name, /^[a-z]+-[a-z]+-\d{4}$/);

    const byId = await p.api('GET', `/apps/${created.body.id}`);
    assert.equal(byId.body.name, 'core-one');

    const renamed = await p.api('PATCH', '/apps/core-one', { name: 'core-uno' });
    assert.equal(renamed.status, 200);
    assert.equal((await p.api('GET', '/apps/core-one')).status, 404);
    assert.equal((await p.api('GET', '/apps/core-uno')).body.id, created.body.id);

    assert.equal((await p.api('DELETE', `/apps/${generated.body.name}`)).status, 200);
    assert.equal((await p.api('GET', `/apps/${generated.body.name}`)).status, 404);
  });

  it('refuses a taken name with 409', async () => {
    await p.api('POST', '/apps', { name: 'taken-name' });
    const r = await p.api('POST', '/apps', { name: 'taken-name' });
    assert.equal(r.status, 409);
    isError(r.body, 'conflict');
  });

  it('pages the app list with Range and Next-Range', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await p.api('POST', '/apps', { name: n });
    const first = await p.api('GET', '/apps', undefined, { Range: 'name ..; max=2' });
    assert.equal(first.status, 206);
    assert.equal(first.body.length, 2);
    const names: string[] = first.body.map((a: any) => a.name);
    let next = first.headers.get('next-range');
    while (next) {
      const r = await p.api('GET', '/apps', undefined, { Range: next });
      names.push(...r.body.map((a: any) => a.name));
      next = r.status === 206 ? r.headers.get('next-range') : null;
    }
    assert.deepEqual(names, [...names].sort());
    assert.ok(['page-a', 'page-b', 'page-c'].every((n) => names.includes(n)));
    const bad = await p.api('GET', '/apps', undefined, { Range: 'color ..' });
    assert.equal(bad.status, 416);
  });
});

describe('config vars and releases', () => {
  it('records every change as a release and rolls back to a copy of the target', async () => {
    await p.api('POST', '/apps', { name: 'rel-app' });
    const set = await p.api('PATCH', '/apps/rel-app/config-vars', { A: '1', B: '2' });
    assert.deepEqual(set.body, { A: '1', B: '2' });
    const unset = await p.api('PATCH', '/apps/rel-app/config-vars', { B: null });
    assert.deepEqual(unset.body, { A: '1' });
    const same = await p.api('PATCH', '/apps/rel-app/config-vars', { A: '1' });
    assert.equal(same.status, 200);

    const list = await p.api('GET', '/apps/rel-app/releases');
    assert.deepEqual(list.body.map((r: any) => [r.version, r.description]), [
      [1, 'Initial release'],
      [2, 'Set A, B config vars'],
      [3, 'Remove B config vars'],
    ]);
    assert.deepEqual(list.body.map((r: any) => r.current), [false, false, true]);

    const newest = await p.api('GET', '/apps/rel-app/releases', undefined, { Range: 'version ..; max=1, order=desc' });
    assert.equal(newest.body[0].version, 3);

    const rb = await p.api('POST', '/apps/rel-app/releases', { release: '2' });
    assert.equal(rb.status, 201);
    assert.equal(rb.body.version, 4);
    assert.equal(rb.body.description, 'Rollback to v2');
    assert.deepEqual((await p.api('GET', '/apps/rel-app/config-vars')).body, { A: '1', B: '2' });
    assert.deepEqual((await p.api('GET', '/apps/rel-app/releases/3/config-vars')).body, { A: '1' });
    const byId = await p.api('GET', `/apps/rel-app/releases/${rb.body.id}`);
    assert.equal(byId.body.version, 4);
    assert.equal((await p.api('POST', '/apps/rel-app/releases', { release: '99' })).status, 404);
  });
});

describe('bad input changes nothing', () => {
  const snapshot = async () => ({
    apps: (await p.api('GET', '/apps')).body.map((a: any) => a.name).sort(),
    config: (await p.api('GET', '/apps/bad-input/config-vars')).body,
    releases: (await p.api('GET', '/apps/bad-input/releases')).body.length,
  });

  it('rejects malformed, mistyped, unknown, oversized and hostile input with 4xx {id, message}', async () => {
    await p.api('POST', '/apps', { name: 'bad-input' });
    await p.api('PATCH', '/apps/bad-input/config-vars', { KEEP: 'me' });
    const before = await snapshot();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/apps', '{"name": ', 400, 'bad_request'],
      ['POST', '/apps', '[1,2', 400, 'bad_request'],
      ['POST', '/apps', { name: 42 }, 422, 'invalid_params'],
      ['POST', '/apps', { name: 'ok-name', colour: 'red' }, 422, 'invalid_params'],
      ['POST', '/apps', { name: '../x' }, 422, 'invalid_params'],
      ['POST', '/apps', { name: 'UPPER' }, 422, 'invalid_params'],
      ['POST', '/apps', { name: 'a'.repeat(31) }, 422, 'invalid_params'],
      ['POST', '/apps', { name: 'x' }, 422, 'invalid_params'],
      ['POST', '/apps', { name: 'drop;table' }, 422, 'invalid_params'],
      ['PATCH', '/apps/bad-input', { name: '-lead' }, 422, 'invalid_params'],
      ['PATCH', '/apps/bad-input', { maintenance: 'yes' }, 422, 'invalid_params'],
      ['PATCH', '/apps/bad-input/config-vars', { 'BAD-NAME': 'v' }, 422, 'invalid_params'],
      ['PATCH', '/apps/bad-input/config-vars', { GOOD: 'v', '../x': 'v' }, 422, 'invalid_params'],
      ['PATCH', '/apps/bad-input/config-vars', { NUM: 5 }, 422, 'invalid_params'],
      ['PATCH', '/apps/bad-input/config-vars', ['A'], 422, 'invalid_params'],
      ['PATCH', '/apps/bad-input/config-vars', { BIG: 'x'.repeat(40 * 1024) }, 413, 'payload_too_large'],
      ['POST', '/apps', { name: 'x'.repeat(2 * 1024 * 1024) }, 413, 'payload_too_large'],
      ['POST', '/apps/bad-input/releases', { release: { v: 1 } }, 422, 'invalid_params'],
      ['GET', '/apps/..%2F..%2Fetc', undefined, 404, 'not_found'],
    ];
    for (const [method, path, body, status, id] of cases) {
      const r = await p.api(method, path, body);
      assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 60)}: ${JSON.stringify(r.body)}`);
      isError(r.body, id);
    }
    assert.deepEqual(await snapshot(), before);
  });
});

describe('durability', () => {
  it('keeps every app, config var and release across kill -9 and refuses a second server on the same home', async () => {
    await p.api('POST', '/apps', { name: 'durable' });
    await p.api('PATCH', '/apps/durable/config-vars', { DB: 'postgres://x', N: '1' });
    await p.api('PATCH', '/apps/durable/config-vars', { N: '2' });
    const before = {
      apps: (await p.api('GET', '/apps')).body.map((a: any) => a.id).sort(),
      config: (await p.api('GET', '/apps/durable/config-vars')).body,
      releases: (await p.api('GET', '/apps/durable/releases')).body.map((r: any) => [r.id, r.version, r.description]),
    };

    const second = await startPlatform({ home: p.home, userHome: p.userHome }).then(
      () => null,
      (e: Error) => e,
    );
    assert.ok(second, 'a second server on the same home must refuse to start');
    assert.match(second.message, /already running on this home/);

    await p.kill9();
    p = await p.restart();
    const afterRestart = {
      apps: (await p.api('GET', '/apps')).body.map((a: any) => a.id).sort(),
      config: (await p.api('GET', '/apps/durable/config-vars')).body,
      releases: (await p.api('GET', '/apps/durable/releases')).body.map((r: any) => [r.id, r.version, r.description]),
    };
    assert.deepEqual(afterRestart, before);
  });

  it('shuts down gracefully on SIGTERM, releasing the home', async () => {
    await p.stop();
    assert.equal(p.process.exitCode, 0);
    p = await p.restart();
    assert.equal((await p.api('GET', '/account')).status, 200);
  });
});

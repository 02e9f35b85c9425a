/** Log drains API and CLI against a real server, with a real HTTP collector on loopback. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startHttpReceiver, type HttpReceiver } from '../support/log-receivers.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
let collector: HttpReceiver;
before(async () => {
  [p, collector] = await Promise.all([startPlatform(), startHttpReceiver()]);
  assert.equal((await p.api('POST', '/apps', { name: 'drain-app' })).status, 201);
});
after(async () => {
  await p.cleanup();
  await collector.stop();
});

const drainUrl = (path: string) => `http://127.0.0.1:${collector.port}${path}`;

/** `heroku[api]` lines the collector got with this token that contain `text`. */
const apiLinesWith = (token: string, text: string) =>
  collector.requests
    .filter((r) => r.headers['logplex-drain-token'] === token)
    .flatMap((r) => r.messages)
    .filter((m) => m.appName === 'heroku' && m.procId === 'api' && m.rest.includes(text));

const listDrains = async () => (await p.api('GET', '/apps/drain-app/log-drains')).body as Array<{ id: string; url: string }>;

describe('log drains', () => {
  let token = '';

  it('adds a drain in Heroku\'s shape and sends the app\'s lines to it with its token', async () => {
    const added = await p.api('POST', '/apps/drain-app/log-drains', { url: drainUrl('/main') });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.match(added.body.token, /^d\.[0-9a-f-]{36}$/);
    assert.deepEqual(Object.keys(added.body).sort(), ['addon', 'app', 'created_at', 'id', 'token', 'updated_at', 'url']);
    assert.equal(added.body.url, drainUrl('/main'));
    assert.equal(added.body.addon, null);
    assert.equal(added.body.app.name, 'drain-app');
    token = added.body.token;

    assert.equal((await p.api('PATCH', '/apps/drain-app/config-vars', { FOO: 'bar' })).status, 200);
    await waitFor(() => apiLinesWith(token, 'Release v2 created').length > 0, { what: 'the release line at the collector' });

    const byId = await p.api('GET', `/apps/drain-app/log-drains/${added.body.id}`);
    assert.equal(byId.body.token, token);
    const byUrl = await p.api('GET', `/apps/drain-app/log-drains/${encodeURIComponent(drainUrl('/main'))}`);
    assert.equal(byUrl.body.id, added.body.id);
    assert.deepEqual((await listDrains()).map((d) => d.id), [added.body.id]);
  });

  it('rejects bad URLs, duplicates and a sixth drain with {id, message}, changing nothing', async () => {
    const rejected: Array<[unknown, number]> = [
      [{ url: 'file:///etc/passwd' }, 422],
      [{ url: 'ftp://127.0.0.1/logs' }, 422],
      [{ url: 'not a url' }, 422],
      [{ url: 'syslog://127.0.0.1' }, 422],
      [{ url: 'http://user:secret@logs.example.com/drain' }, 422],
      [{ url: drainUrl('/main') }, 409],
      [{}, 422],
    ];
    for (const [body, status] of rejected) {
      const r = await p.api('POST', '/apps/drain-app/log-drains', body);
      assert.equal(r.status, status, `${JSON.stringify(body)} → ${JSON.stringify(r.body)}`);
      assert.ok(typeof r.body.id === 'string' && typeof r.body.message === 'string', JSON.stringify(r.body));
    }
    assert.equal((await listDrains()).length, 1);

    for (let i = 2; i <= 5; i++) {
      assert.equal((await p.api('POST', '/apps/drain-app/log-drains', { url: drainUrl(`/n${i}`) })).status, 201);
    }
    const sixth = await p.api('POST', '/apps/drain-app/log-drains', { url: drainUrl('/n6') });
    assert.equal(sixth.status, 422);
    assert.equal(sixth.body.id, 'invalid_params');
    assert.match(sixth.body.message, /5 log drains/);
    assert.equal((await listDrains()).length, 5);
    assert.equal((await p.api('GET', '/apps/drain-app/log-drains/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('removes drains by URL or id', async () => {
    const drains = await listDrains();
    const byUrl = drains.find((d) => d.url === drainUrl('/n5')) as { id: string };
    const del = await p.api('DELETE', `/apps/drain-app/log-drains/${encodeURIComponent(drainUrl('/n5'))}`);
    assert.equal(del.status, 200);
    assert.equal(del.body.id, byUrl.id);
    const other = drains.find((d) => d.url === drainUrl('/n4')) as { id: string };
    assert.equal((await p.api('DELETE', `/apps/drain-app/log-drains/${other.id}`)).status, 200);
    assert.equal((await p.api('GET', `/apps/drain-app/log-drains/${other.id}`)).status, 404);
    assert.equal((await listDrains()).length, 3);
  });

  it('manages drains from the CLI', async () => {
    const url = drainUrl('/cli');
    const add = await p.cli(['drains:add', url, '-a', 'drain-app']);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Successfully added drain http:\/\/127\.0\.0\.1:\d+\/cli/);
    const list = await p.cli(['drains', '-a', 'drain-app']);
    assert.match(list.stdout, /=== Drains\n/);
    assert.match(list.stdout, new RegExp(`${url.replace(/[./]/g, '\\$&')} \\(d\\.[0-9a-f-]{36}\\)`));
    const json = JSON.parse((await p.cli(['drains', '-a', 'drain-app', '--json'])).stdout) as Array<{ url: string }>;
    assert.ok(json.some((d) => d.url === url));
    const bad = await p.cli(['drains:add', 'file:///etc/passwd', '-a', 'drain-app']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /syslog:\/\//);
    const rm = await p.cli(['drains:remove', url, '-a', 'drain-app']);
    assert.equal(rm.code, 0, rm.stderr);
    assert.doesNotMatch((await p.cli(['drains', '-a', 'drain-app'])).stdout, /\/cli/);
  });

  it('restores drains when the server restarts', async () => {
    await p.stop();
    p = await p.restart();
    assert.equal((await p.api('PATCH', '/apps/drain-app/config-vars', { BAR: 'baz' })).status, 200);
    await waitFor(() => apiLinesWith(token, 'Set BAR config var').length > 0 && apiLinesWith(token, 'Release v3'), {
      what: 'lines after the restart at the collector',
    });
  });
});

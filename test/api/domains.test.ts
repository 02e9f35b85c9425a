/** Domains API and CLI, and the router answering for them, against a real server. */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
});
after(() => p.cleanup());

/** A request to the router for a hostname (fetch may not set Host, so node:http). */
const viaRouter = (host: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(p.routerUrl as string, { headers: { Host: host, Accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });

describe('domains', () => {
  it('lists the default domain as kind heroku, and it cannot be removed', async () => {
    assert.equal((await p.api('POST', '/apps', { name: 'dom-app' })).status, 201);
    const list = await p.api('GET', '/apps/dom-app/domains');
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].hostname, 'dom-app.localhost');
    assert.equal(list.body[0].kind, 'heroku');
    assert.equal(list.body[0].cname, null);
    const del = await p.api('DELETE', `/apps/dom-app/domains/${list.body[0].id}`);
    assert.equal(del.status, 422);
    assert.equal((await p.api('GET', '/apps/dom-app/domains/dom-app.localhost')).body.id, list.body[0].id);
  });

  it('adds, shows and removes custom domains; hostnames are validated and unique', async () => {
    const added = await p.api('POST', '/apps/dom-app/domains', { hostname: 'WWW.Example.org' });
    assert.equal(added.status, 201);
    assert.equal(added.body.hostname, 'www.example.org');
    assert.equal(added.body.kind, 'custom');
    assert.equal(added.body.cname, 'dom-app.localhost');
    assert.equal(added.body.app.name, 'dom-app');
    assert.equal((await p.api('GET', `/apps/dom-app/domains/${added.body.id}`)).body.hostname, 'www.example.org');

    await p.api('POST', '/apps', { name: 'dom-other' });
    const taken = await p.api('POST', '/apps/dom-other/domains', { hostname: 'www.example.org' });
    assert.equal(taken.status, 409);
    assert.equal((await p.api('POST', '/apps/dom-other/domains', { hostname: 'bad_host!' })).status, 422);
    assert.equal((await p.api('POST', '/apps/dom-other/domains', { hostname: 'dom-app.localhost' })).status, 422);

    // The router answers for it at once (H14: nothing runs yet) and logs to the app.
    const routed = await viaRouter('www.example.org:8080');
    assert.equal(routed.status, 503);
    assert.equal(JSON.parse(routed.body).id, 'H14');

    assert.equal((await p.api('DELETE', '/apps/dom-app/domains/www.example.org')).status, 200);
    assert.equal((await p.api('GET', '/apps/dom-app/domains/www.example.org')).status, 404);
    assert.equal((await viaRouter('www.example.org')).status, 404);
  });

  it('manages domains from the CLI', async () => {
    const add = await p.cli(['domains:add', 'api.example.net', '-a', 'dom-app']);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Adding api\.example\.net to dom-app\.\.\. done/);
    const list = await p.cli(['domains', '-a', 'dom-app']);
    assert.match(list.stdout, /=== dom-app Heroku Domain\ndom-app\.localhost/);
    assert.match(list.stdout, /api\.example\.net\s+dom-app\.localhost/);
    const rm = await p.cli(['domains:remove', 'api.example.net', '-a', 'dom-app']);
    assert.equal(rm.code, 0, rm.stderr);
    assert.doesNotMatch((await p.cli(['domains', '-a', 'dom-app'])).stdout, /api\.example\.net/);
  });
});

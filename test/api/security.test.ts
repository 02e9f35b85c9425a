/**
 * Issue 10, findings 2-7, against a real server and the real CLI: each case
 * is what the security review reproduced, and must now fail safely.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startHttpReceiver, type HttpReceiver } from '../support/log-receivers.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
let collector: HttpReceiver;
before(async () => {
  [p, collector] = await Promise.all([startPlatform(), startHttpReceiver()]);
  assert.equal((await p.api('POST', '/apps', { name: 'sec-app' })).status, 201);
});
after(async () => {
  await p.cleanup();
  await collector.stop();
});

const HEROKU = { Accept: 'application/vnd.heroku+json; version=3' };

/** A request with the path sent exactly as written (fetch would resolve `..` and `%2e%2e` first). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(p.apiUrl, { method, path, headers: { Authorization: `Bearer ${p.apiKey}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const appExists = async (name: string) => (await p.api('GET', `/apps/${name}`)).status === 200;

describe('security review, findings 2-7', () => {
  it('2: a dot-segment, empty segment or trailing slash never reaches another route', async () => {
    for (const path of [
      '/apps/sec-app/domains/%2e%2e', '/apps/sec-app/domains/..', '/apps/sec-app/domains/%2E.', '/apps/sec-app/log-drains/%2e%2e',
      '/apps/sec-app/addons/..', '/apps/sec-app/dynos/%2e%2e', '/apps/sec-app/formations/.', '/apps/sec-app/domains/',
      '/apps/sec-app/', '/apps//sec-app', '/apps/sec-app/domains/x/..',
    ]) {
      const r = await raw('DELETE', path, HEROKU);
      assert.ok(r.status === 400 || r.status === 404, `${path} → ${r.status} ${r.body}`);
      assert.ok(await appExists('sec-app'), `${path} destroyed the app`);
    }
  });

  it('2: the CLI refuses such arguments before sending anything', async () => {
    // An API nobody listens on: a command that sent anything would fail to connect instead.
    const env = { CUPAAS_API_URL: 'http://127.0.0.1:9' };
    for (const args of [
      ['domains:remove', '..', '-a', 'sec-app'], ['drains:remove', '..', '-a', 'sec-app'], ['addons:destroy', '..', '-a', 'sec-app', '--confirm', 'sec-app'],
      ['ps:restart', '..', '-a', 'sec-app'], ['releases:info', '.', '-a', 'sec-app'],
    ]) {
      const r = await p.cli(args, { env });
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, /is not a valid name/, `${args.join(' ')}: ${r.stderr}`);
    }
    assert.ok(await appExists('sec-app'));
  });

  it('3: malformed escapes and aborted uploads are 4xx, without stack traces in the log', async () => {
    const before = p.output().length;
    assert.equal((await raw('GET', '/apps/%ZZ', {})).status, 400);
    assert.equal((await raw('GET', '/apps/%ZZ', HEROKU)).status, 400);
    assert.equal((await raw('GET', '/apps', { ...HEROKU, Range: 'name %E0%A4%A..' })).status, 416);
    const src = await p.api('POST', '/sources');
    await new Promise<void>((resolve) => {
      const url = new URL(src.body.source_blob.put_url);
      const req = request(url, { method: 'PUT', headers: { 'Content-Length': '1000000' } });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.write(Buffer.alloc(1000), () => req.destroy());
    });
    assert.ok(await appExists('sec-app'), 'the server still answers');
    const log = p.output().slice(before);
    assert.ok(!/\n\s+at /.test(log) && !log.includes('request failed'), log);
  });

  it('4: drains refuse metadata, this machine and the platform\'s own API', async () => {
    const apiPort = new URL(p.apiUrl).port;
    for (const url of [
      'http://169.254.169.254/latest/meta-data', 'https://[fd00:ec2::254]/', 'http://metadata.google.internal/', 'http://localhost:9/',
      'http://[::ffff:127.0.0.2]:9/', 'http://127.0.0.2:9/', 'http://0.0.0.0:9/', 'http://10.0.0.1/', 'http://192.168.0.1/',
      `http://127.0.0.1:${apiPort}/apps`, `http://0x7f000001:${apiPort}/`,
    ]) {
      const r = await p.api('POST', '/apps/sec-app/log-drains', { url });
      assert.equal(r.status, 422, `${url} → ${JSON.stringify(r.body)}`);
    }
    assert.equal((await p.api('GET', '/apps/sec-app/log-drains')).body.length, 0);
  });

  it('5: drain credentials are sealed at rest, redacted on output, gone with the app; control characters refused', async () => {
    assert.equal((await p.api('POST', '/apps', { name: 'sec-drain' })).status, 201);
    const secret = 'drain-pw-7f3a9c';
    const url = `http://logger:${secret}@127.0.0.1:${collector.port}/in?key=${secret}x`;
    const added = await p.api('POST', '/apps/sec-drain/log-drains', { url });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.equal(added.body.url, `http://***:***@127.0.0.1:${collector.port}/in?key=***`);
    assert.ok(!JSON.stringify((await p.api('GET', '/apps/sec-drain/log-drains')).body).includes(secret));
    const cli = await p.cli(['drains', '-a', 'sec-drain']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(cli.stdout.includes('127.0.0.1') && !cli.stdout.includes(secret), cli.stdout);
    const stateFiles = () => readdirSync(p.home).filter((f) => f.startsWith('state.db'));
    for (const f of stateFiles()) assert.ok(!readFileSync(join(p.home, f)).includes(secret), `${f} holds the drain password`);

    for (const bad of ['https://logs.example.com/a\nb', 'https://logs.example.com/\tx', 'https://logs.example.com/\u0000']) {
      assert.equal((await p.api('POST', '/apps/sec-drain/log-drains', { url: bad })).status, 422, JSON.stringify(bad));
    }
    assert.equal((await p.api('DELETE', '/apps/sec-drain')).status, 200);
    assert.equal((await p.api('POST', '/apps', { name: 'sec-drain' })).status, 201);
    assert.deepEqual((await p.api('GET', '/apps/sec-drain/log-drains')).body, []);
  });

  it('6: file:// repositories only from admin-allowed directories, never from $CUPAAS_HOME', async () => {
    const appId = (await p.api('GET', '/apps/sec-app')).body.id as string;
    for (const url of [`file://${p.home}/repos/${appId}.git`, `file://${p.home}`, 'file:///etc', 'file:///root']) {
      const r = await p.api('PUT', '/apps/sec-app/repo', { url, poll_interval: 0 });
      assert.equal(r.status, 422, `${url} → ${JSON.stringify(r.body)}`);
    }
    assert.equal((await p.api('GET', '/apps/sec-app/repo')).status, 404);
  });

  it('7: IP literals and numbers are no custom domains', async () => {
    for (const hostname of ['127.0.0.1', '0x7f000001', '10', '2130706433', '[::1]', '1.0x7f']) {
      assert.equal((await p.api('POST', '/apps/sec-app/domains', { hostname })).status, 422, hostname);
    }
    assert.equal((await p.api('POST', '/apps/sec-app/domains', { hostname: 'www.sec-app.example' })).status, 201);
  });

  it('7: a state-changing request a browser form could send is refused and changes nothing', async () => {
    const form = { 'Content-Type': 'text/plain', Origin: 'http://evil.example' };
    const r = await raw('POST', '/apps', form, JSON.stringify({ name: 'csrf-app' }));
    assert.equal(r.status, 400, r.body);
    assert.ok(!(await appExists('csrf-app')));
    assert.equal((await raw('DELETE', '/apps/sec-app', { Origin: 'http://evil.example' })).status, 400);
    assert.ok(await appExists('sec-app'));
  });

  it('7: negative numeric quantities, NUL values, __proto__ keys, bad branches and plan junk are 422', async () => {
    assert.equal((await p.api('PATCH', '/apps/sec-app/formation', { updates: [{ type: 'web', quantity: -1 }] })).status, 422);
    assert.equal((await p.api('PATCH', '/apps/sec-app/formation/web', { quantity: -1 })).status, 422);
    const before = (await p.api('GET', '/apps/sec-app/releases')).body.length;
    assert.equal((await p.api('PATCH', '/apps/sec-app/config-vars', { A: 'x\u0000y' })).status, 422);
    const proto = await raw('PATCH', '/apps/sec-app/config-vars', { ...HEROKU, 'Content-Type': 'application/json' }, '{"__proto__":"x","B":"1"}');
    assert.equal(proto.status, 422, proto.body);
    assert.equal((await p.api('GET', '/apps/sec-app/releases')).body.length, before);
    for (const branch of ['/a', '.hidden', 'a.lock', 'a..b', '-x']) {
      assert.equal((await p.api('PATCH', '/apps/sec-app', { deploy_branch: branch })).status, 422, branch);
    }
    const plan = await p.api('POST', '/apps/sec-app/addons', { plan: 'mongodb:dev:junk' });
    assert.equal(plan.status, 422, JSON.stringify(plan.body));
  });
});

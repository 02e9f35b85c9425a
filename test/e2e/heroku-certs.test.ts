/**
 * The official `heroku` CLI (npm, v11) with custom domains and certificates:
 * `domains:add` reads the SNI endpoints first, `certs` lists them with their
 * expiry, `certs:update` and `certs:remove` change them, and the router
 * serves the result over HTTPS.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { createTestCa, type TestCa } from '../support/certs.js';
import { heroku, installHerokuCli } from '../support/heroku-cli.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { tempDir } from '../support/temp.js';

const APP = 'hkcerts';
const cli = await installHerokuCli();
const skip = 'skip' in cli ? cli.skip : false;

/** The names of the certificate the router presents for an SNI name. */
const servedNames = (p: TestPlatform, servername: string) =>
  new Promise<string>((resolve, reject) => {
    const url = new URL(p.routerTlsUrl as string);
    const req = request({ host: url.hostname, port: url.port, servername, headers: { Host: servername }, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      resolve((res.socket as TLSSocket).getPeerCertificate().subjectaltname ?? '');
    });
    req.on('error', reject);
    req.end();
  });

let p: TestPlatform;
let ca: TestCa;
describe('heroku CLI: domains and certs', { skip }, () => {
  const h = (args: readonly string[]) => heroku((cli as { bin: string }).bin, p, args);
  const dir = tempDir('cupaas-heroku-certs');
  const files = async (names: string[], prefix: string) => {
    const c = await ca.issue(names);
    writeFileSync(join(dir, `${prefix}.crt`), c.chainPem);
    writeFileSync(join(dir, `${prefix}.key`), c.keyPem);
    return [join(dir, `${prefix}.crt`), join(dir, `${prefix}.key`)];
  };
  before(async () => {
    [p, ca] = await Promise.all([startPlatform({ args: ['--router-tls-port', '0'] }), createTestCa()]);
    assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
  });
  after(() => p?.cleanup());

  it('domains:add works without certificates, and with one it names it', async () => {
    const plain = await h(['domains:add', 'www.hk.test', '-a', APP]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout + plain.stderr, /hkcerts\.localhost/);
    // A certificate for a name the app does not have yet: certs:add asks nothing.
    const add = await h(['certs:add', ...(await files(['api.hk.test'], 'api')), '-a', APP]);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /api\.hk\.test/);
    const second = await h(['domains:add', 'api.hk.test', '-a', APP]);
    assert.equal(second.code, 0, second.stderr);
    const [endpoint] = (await p.api('GET', `/apps/${APP}/sni-endpoints`)).body;
    assert.deepEqual((await p.api('GET', `/apps/${APP}/domains/api.hk.test`)).body.sni_endpoint, { id: endpoint.id, name: endpoint.name });
    assert.equal(await waitFor(async () => (await servedNames(p, 'api.hk.test')) === 'DNS:api.hk.test' || undefined, { what: 'the certificate served' }), true);
  });

  it('certs lists the certificate and its expiry; certs:update and certs:remove change what the router serves', async () => {
    const list = await h(['certs', '-a', APP]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /api\.hk\.test/);
    assert.match(list.stdout, /20\d\d/, 'the expiry');
    const update = await h(['certs:update', ...(await files(['api.hk.test', 'hk.test'], 'renewed')), '-a', APP, '--confirm', APP]);
    assert.equal(update.code, 0, update.stderr);
    await waitFor(async () => (await servedNames(p, 'api.hk.test')).includes('DNS:hk.test') || undefined, { what: 'the renewed certificate' });
    const remove = await h(['certs:remove', '-a', APP, '--confirm', APP]);
    assert.equal(remove.code, 0, remove.stderr);
    await waitFor(async () => (await servedNames(p, 'api.hk.test')).includes('*.localhost') || undefined, { what: 'the platform certificate again' });
  });
});

/**
 * SNI endpoints (Heroku's certificate API) and the `certs` commands against a
 * real server with HTTPS on the router: uploads are validated, keys sealed
 * at rest and never returned, and the router presents each certificate for
 * its app's custom domains, the platform certificate (signed by the
 * platform CA) for APP.BASE_DOMAIN.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { createTestCa, type TestCa } from '../support/certs.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { tempDir } from '../support/temp.js';

let p: TestPlatform;
let ca: TestCa;
before(async () => {
  [p, ca] = await Promise.all([startPlatform({ args: ['--router-tls-port', '0'] }), createTestCa()]);
  assert.equal((await p.api('POST', '/apps', { name: 'tls-app' })).status, 201);
  assert.equal((await p.api('POST', '/apps/tls-app/domains', { hostname: 'www.tls.test' })).status, 201);
});
after(() => p?.cleanup());

/** The certificate the router presents for an SNI name, and whether `issuerPem` signed it. */
const served = (servername: string, issuerPem: string) =>
  new Promise<{ names: string; signed: boolean; status: number }>((resolve, reject) => {
    const url = new URL(p.routerTlsUrl as string);
    const req = request(
      { host: url.hostname, port: url.port, path: '/', servername, headers: { Host: servername }, rejectUnauthorized: false, agent: false },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerCertificate();
        res.resume();
        res.on('end', () => resolve({
          names: peer.subjectaltname ?? '', status: res.statusCode ?? 0,
          signed: new X509Certificate(peer.raw).verify(new X509Certificate(issuerPem).publicKey),
        }));
      },
    );
    req.on('error', reject);
    req.end();
  });

/** Waits until the router presents a certificate naming `pattern` for the name (HAProxy applies changes a moment later). */
async function presents(servername: string, pattern: RegExp, issuerPem = ca.certPem) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const s = await served(servername, issuerPem);
    if (pattern.test(s.names) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sni-endpoints', () => {
  it('serves APP.BASE_DOMAIN with a platform certificate signed by the platform CA', async () => {
    const platformCa = readFileSync(join(p.home, 'tls', 'ca.pem'), 'utf8');
    const s = await presents('tls-app.localhost', /\*\.localhost/, platformCa);
    assert.match(s.names, /DNS:\*\.localhost/);
    assert.equal(s.signed, true);
  });

  it('adds, lists, updates and removes a certificate; the router follows; the key is sealed and never shown', async () => {
    const cert = await ca.issue(['www.tls.test']);
    const bad = await p.api('POST', '/apps/tls-app/sni-endpoints', { certificate_chain: cert.chainPem, private_key: (await ca.issue(['x.test'])).keyPem });
    assert.equal(bad.status, 422);
    assert.match(bad.body.message, /does not match/);
    assert.equal((await p.api('POST', '/apps/tls-app/sni-endpoints', { certificate_chain: 'nope', private_key: cert.keyPem })).status, 422);
    assert.equal((await p.api('GET', '/apps/tls-app/sni-endpoints')).body.length, 0, 'nothing stored by refused uploads');

    const added = await p.api('POST', '/apps/tls-app/sni-endpoints', { certificate_chain: cert.chainPem, private_key: cert.keyPem });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.deepEqual(added.body.ssl_cert.cert_domains, ['www.tls.test']);
    assert.ok(Date.parse(added.body.ssl_cert.expires_at) > Date.now() + 20 * 86_400_000);
    assert.equal(added.body.ssl_cert['ca_signed?'], false);
    const domain = (await p.api('GET', '/apps/tls-app/domains/www.tls.test')).body;
    assert.deepEqual(added.body.domains, [domain.id]);
    assert.deepEqual(domain.sni_endpoint, { id: added.body.id, name: added.body.name });
    assert.doesNotMatch(JSON.stringify(added.body), /PRIVATE KEY/);
    const listed = await p.api('GET', '/apps/tls-app/sni-endpoints');
    assert.deepEqual(listed.body.map((e: { name: string }) => e.name), [added.body.name]);
    assert.doesNotMatch(JSON.stringify(listed.body), /PRIVATE KEY/);
    assert.equal((await p.api('GET', `/apps/tls-app/sni-endpoints/${added.body.name}`)).body.id, added.body.id);

    const keyBody = cert.keyPem.split('\n')[1] as string;
    const db = readFileSync(join(p.home, 'state.db')).toString('latin1') + readFileSync(join(p.home, 'state.db-wal'), { flag: 'a+' }).toString('latin1');
    assert.ok(!db.includes(keyBody), 'the private key is not stored in the clear');

    assert.equal((await presents('www.tls.test', /www\.tls\.test/)).signed, true);
    const renewed = await ca.issue(['www.tls.test', 'tls.test']);
    const updated = await p.api('PATCH', `/apps/tls-app/sni-endpoints/${added.body.name}`, { certificate_chain: renewed.chainPem, private_key: renewed.keyPem });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body.ssl_cert.cert_domains, ['www.tls.test', 'tls.test']);
    assert.match((await presents('www.tls.test', /tls\.test.*tls\.test/)).names, /DNS:www\.tls\.test, DNS:tls\.test/);

    assert.equal((await p.api('DELETE', `/apps/tls-app/sni-endpoints/${added.body.id}`)).status, 200);
    assert.match((await presents('www.tls.test', /localhost/)).names, /\*\.localhost/);
    assert.equal((await p.api('GET', `/apps/tls-app/sni-endpoints/${added.body.id}`)).status, 404);
  });

  it('certs, certs:add, certs:update and certs:remove through the cupaas CLI', async () => {
    const dir = tempDir('cupaas-certs-cli');
    const write = async (names: string[], prefix: string) => {
      const c = await ca.issue(names);
      writeFileSync(join(dir, `${prefix}.crt`), c.chainPem);
      writeFileSync(join(dir, `${prefix}.key`), c.keyPem);
      return [join(dir, `${prefix}.crt`), join(dir, `${prefix}.key`)];
    };
    const add = await p.cli(['certs:add', ...(await write(['www.tls.test'], 'one')), '-a', 'tls-app']);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Adding SSL certificate to tls-app\.\.\. done/);
    assert.doesNotMatch(add.stdout, /PRIVATE KEY/);
    const list = await p.cli(['certs', '-a', 'tls-app']);
    assert.match(list.stdout, /www\.tls\.test/);
    assert.match(list.stdout, /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'shows the expiry');
    const update = await p.cli(['certs:update', ...(await write(['www.tls.test', 'tls.test'], 'two')), '-a', 'tls-app']);
    assert.equal(update.code, 0, update.stderr);
    assert.match(update.stdout, /www\.tls\.test, tls\.test/);
    const missing = await p.cli(['certs:add', join(dir, 'none.crt'), join(dir, 'none.key'), '-a', 'tls-app']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /Cannot read the certificate file/);
    const remove = await p.cli(['certs:remove', '-a', 'tls-app']);
    assert.equal(remove.code, 0, remove.stderr);
    assert.match((await p.cli(['certs', '-a', 'tls-app'])).stdout, /has no SSL certificates/);
  });
});

import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type Server } from 'node:tls';
import { ensurePlatformCa, issueCertificate, platformCaPath, platformCaReport, type PlatformCa } from './index.js';

describe('platform CA', () => {
  let home: string;
  let ca: PlatformCa;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'cupaas-tls-'));
    ca = await ensurePlatformCa(home);
  });
  after(() => rm(home, { recursive: true, force: true }));

  it('is created once, at $CUPAAS_HOME/tls/ca.pem, with a private key', async () => {
    assert.equal(ca.certPath, platformCaPath(home));
    assert.ok(new X509Certificate(ca.certPem).ca);
    assert.equal((await stat(ca.keyPath)).mode & 0o777, 0o600);
    assert.equal((await stat(join(home, 'tls'))).mode & 0o777, 0o700);
    const again = await ensurePlatformCa(home);
    assert.equal(again.certPem, ca.certPem);
    assert.equal(again.keyPem, ca.keyPem);
  });

  it('signs leaf certificates a TLS client trusting only the CA accepts, for their names only', async () => {
    const leaf = await issueCertificate(ca, { names: ['localhost', '127.0.0.1', '*.apps.test'] });
    const x = new X509Certificate(leaf.certPem);
    assert.ok(x.verify(new X509Certificate(ca.certPem).publicKey));
    assert.equal(x.ca, false);
    assert.ok(leaf.notAfter.getTime() > Date.now() + 300 * 86400_000);
    const server: Server = createServer({ cert: leaf.chainPem, key: leaf.keyPem }, (s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const hello = (servername: string) =>
      new Promise<string>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port, servername, ca: ca.certPem }, () => s.once('data', (d) => { resolve(String(d)); s.end(); }));
        s.on('error', reject);
      });
    try {
      assert.equal(await hello('localhost'), 'ok');
      assert.equal(await hello('x.apps.test'), 'ok');
      await assert.rejects(hello('other.test'), /altnames/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses names that are not hostnames or addresses', async () => {
    await assert.rejects(issueCertificate(ca, { names: ['a,DNS:evil.test'] }), /not a hostname/);
    await assert.rejects(issueCertificate(ca, { names: [] }), /at least one name/);
  });

  it('--doctor says where the CA is and how to trust it', async () => {
    const report = platformCaReport(home, 'http://127.0.0.1:5000');
    assert.match(report, new RegExp(`NODE_EXTRA_CA_CERTS=${ca.certPath}`));
    assert.doesNotMatch(report, /created at the first/);
    const fresh = await mkdtemp(join(tmpdir(), 'cupaas-tls-'));
    try {
      assert.match(platformCaReport(fresh, 'http://127.0.0.1:5000'), /created at the first `cupaas server` start/);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});

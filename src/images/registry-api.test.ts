/**
 * Asking registries what they hold, against Debian's docker-registry on
 * loopback: one speaking plain HTTP (as the platform's own) and one speaking
 * HTTPS with a certificate from a test CA (as a registry on another machine).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createTestCa } from '../../test/support/certs.js';
import { tempDir } from '../../test/support/temp.js';
import { silentLogger } from '../shared/logger.js';
import { freePort } from '../shared/net.js';
import { waitFor } from '../shared/wait.js';
import { registryAnswers, registryStatus, startLocalRegistry } from './index.js';

const missing = spawnSync('docker-registry', ['--version'], { stdio: 'ignore' }).error ? 'docker-registry is not installed (scripts/install-deps.sh installs it)' : false;

/** Whether something accepts TCP connections on the loopback port. */
const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });

describe('asking a registry', { skip: missing }, async () => {
  const dir = tempDir('cupaas-registry-api');
  const stops: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  /** docker-registry serving HTTPS on localhost:PORT with a leaf of `ca`. */
  const tlsRegistry = async (ca: Awaited<ReturnType<typeof createTestCa>>) => {
    const port = await freePort('127.0.0.1');
    const leaf = await ca.issue(['localhost']);
    const [cert, key, config] = ['cert.pem', 'key.pem', 'config.yml'].map((f) => join(dir, `tls-${port}-${f}`)) as [string, string, string];
    writeFileSync(cert, leaf.chainPem);
    writeFileSync(key, leaf.keyPem, { mode: 0o600 });
    writeFileSync(config, [
      'version: 0.1',
      'log:\n  level: warn',
      `storage:\n  filesystem:\n    rootdirectory: ${JSON.stringify(join(dir, `tls-${port}-data`))}`,
      `http:\n  addr: 127.0.0.1:${port}\n  tls:\n    certificate: ${JSON.stringify(cert)}\n    key: ${JSON.stringify(key)}`,
    ].join('\n'));
    const child = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
    stops.push(() => void child.kill('SIGTERM'));
    const host = `localhost:${port}`;
    await waitFor(() => accepts(port), { what: 'the TLS registry to listen' });
    return host;
  };

  test('a registry speaking plain HTTP is asked over HTTP once HTTPS finds no TLS there', async () => {
    const reg = await startLocalRegistry({ dir: join(dir, 'plain'), port: await freePort('127.0.0.1'), logger: silentLogger });
    stops.push(() => reg.stop());
    assert.equal(await registryAnswers(reg.host), true);
    assert.equal(await registryStatus(reg.host, '/v2/shop/manifests/v1', { method: 'HEAD' }), 404);
  });

  test('an HTTPS registry is trusted through the engine\'s CA directory for its host', async () => {
    const ca = await createTestCa();
    const host = await tlsRegistry(ca);
    const certsDir = join(dir, 'certs.d');
    mkdirSync(join(certsDir, host), { recursive: true });
    writeFileSync(join(certsDir, host, 'ca.crt'), ca.certPem);
    assert.equal(await registryAnswers(host, { certsDir }), true);
    assert.equal(await registryStatus(host, '/v2/shop/manifests/v1', { method: 'HEAD', certsDir }), 404);
  });

  test('a certificate no CA vouches for is an error, never a fall-back to plain HTTP', async () => {
    const host = await tlsRegistry(await createTestCa());
    // Over plain HTTP this registry would answer (400: an HTTP request to an HTTPS server), so a rejection shows none was made.
    await assert.rejects(registryStatus(host, '/v2/', { certsDir: join(dir, 'none') }), (e: NodeJS.ErrnoException) => {
      assert.match(String(e.code), /CERT|VERIFY|ISSUER/);
      return true;
    });
    assert.equal(await registryAnswers(host, { certsDir: join(dir, 'none') }), false);
  });
});

test('a host that is not a registry host is refused before anything is asked or read', async () => {
  for (const host of ['..', '../etc', 'a/b', 'user@reg.example', 'reg.example:port', '']) {
    await assert.rejects(registryStatus(host, '/v2/', { certsDir: '/nonexistent' }), /not a registry host/, host);
  }
});

/**
 * HTTPS on every router data plane, over real TLS: the platform certificate
 * for `APP.BASE_DOMAIN` (and clients without SNI), SNI endpoints'
 * certificates for their apps' custom domains, changed while serving.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import { DATA_PLANES } from '../../test/support/data-planes.js';
import { createTestCa, selfSigned, type TestCa } from '../../test/support/certs.js';
import { startBackend, startRouterFixture, type RouterFixture, type TestBackend } from '../../test/support/router-fixtures.js';
import { waitFor } from '../shared/wait.js';
import { createDomainService, createSniEndpointService } from './index.js';

interface TlsReply {
  status: number;
  body: string;
  /** The served certificate's subjectAltName, e.g. `DNS:www.example.com`. */
  names: string;
  /** The served certificate is signed by the test CA (checked by signature: Node refuses `*.localhost` as a name, too few labels). */
  signedByCa: boolean;
}

for (const [planeName, { factory, skip, settled = async () => {} }] of DATA_PLANES) {
  describe(`data plane contract over HTTPS: ${planeName}`, { skip }, () => {
    let fx: RouterFixture;
    let ca: TestCa;
    let sni: ReturnType<typeof createSniEndpointService>;
    let domains: ReturnType<typeof createDomainService>;
    const backends: TestBackend[] = [];

    /** One HTTPS request; `servername` is the SNI name (none when empty). The chain is checked against the test CA. */
    const get = async (servername: string, host = servername): Promise<TlsReply> => {
      await settled();
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1', port: fx.tlsPort, path: '/', headers: { Host: host }, ca: ca.certPem, agent: false,
            servername: servername || undefined, rejectUnauthorized: false,
          },
          (res) => {
            const socket = res.socket as TLSSocket;
            const peer = socket.getPeerCertificate();
            const names = peer.subjectaltname ?? '';
            const signedByCa = new X509Certificate(peer.raw).verify(new X509Certificate(ca.certPem).publicKey);
            let body = '';
            res.setEncoding('utf8').on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body, names, signedByCa }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    };
    const appWithDyno = async (name: string) => {
      const app = fx.addApp(name);
      const b = await startBackend('web.1');
      backends.push(b);
      fx.router.setBackends(app.id, [b.backend]);
      return app;
    };

    before(async () => {
      ca = await createTestCa();
      const platform = await ca.issue(['*.localhost', 'localhost']);
      fx = await startRouterFixture(factory, {}, { id: 'platform', names: ['*.localhost', 'localhost'], ...platform });
      sni = createSniEndpointService({ store: fx.store, events: fx.events });
      domains = createDomainService({ config: { baseDomain: 'localhost' }, store: fx.store, events: fx.events });
    });
    after(async () => {
      await Promise.all(backends.map((b) => b.close()));
      await fx?.cleanup();
    });

    test('serves APP.BASE_DOMAIN with the platform certificate; the dyno sees https and the log line says so', async () => {
      const app = await appWithDyno('secure');
      const r = await get('secure.localhost');
      assert.equal(r.status, 200);
      assert.equal(r.signedByCa, true);
      assert.match(r.names, /DNS:\*\.localhost/);
      const seen = JSON.parse(r.body).headers as Record<string, string>;
      assert.equal(seen['x-forwarded-proto'], 'https');
      assert.equal(seen['x-forwarded-port'], String(fx.tlsPort));
      const line = await waitFor(() => fx.routerLines(app.id).at(-1), { what: 'router log line' });
      assert.match(line, /status=200 bytes=\d+ protocol=https$/);
      // A client without SNI gets the platform certificate too.
      assert.match((await get('', 'secure.localhost')).names, /DNS:\*\.localhost/);
      // Plain HTTP keeps working on its own port.
      assert.equal((await fx.get('secure.localhost')).status, 200);
    });

    test('serves an SNI endpoint for its custom domain, and follows add, update and remove without a restart', async () => {
      const app = await appWithDyno('shop');
      domains.add(app, 'www.shop.test');
      assert.match((await get('www.shop.test')).names, /\*\.localhost/, 'no endpoint yet: the platform certificate');
      const first = await ca.issue(['www.shop.test', 'shop.test']);
      const endpoint = sni.add(app, { certificateChain: first.chainPem, privateKey: first.keyPem });
      let r = await get('www.shop.test');
      assert.equal(r.status, 200);
      assert.equal(r.signedByCa, true);
      assert.equal(r.names, 'DNS:www.shop.test, DNS:shop.test');
      const renewed = await ca.issue(['www.shop.test']);
      sni.update(app, endpoint.name, { certificateChain: renewed.chainPem, privateKey: renewed.keyPem });
      r = await get('www.shop.test');
      assert.equal(r.names, 'DNS:www.shop.test');
      sni.remove(app, endpoint.id);
      assert.match((await get('www.shop.test')).names, /\*\.localhost/);
    });

    test('a domain added after its certificate is served with it; removing the domain stops that', async () => {
      const app = await appWithDyno('later');
      const cert = await ca.issue(['*.later.test']);
      sni.add(app, { certificateChain: cert.chainPem, privateKey: cert.keyPem });
      assert.match((await get('api.later.test')).names, /\*\.localhost/, 'no such domain yet');
      domains.add(app, 'api.later.test');
      assert.equal((await get('api.later.test')).names, 'DNS:*.later.test');
      domains.remove(app, 'api.later.test');
      assert.match((await get('api.later.test')).names, /\*\.localhost/);
    });

    test('never presents an app\'s certificate for another app\'s hostname', async () => {
      const victim = await appWithDyno('victim');
      domains.add(victim, 'www.victim.test');
      const attacker = await appWithDyno('attacker');
      domains.add(attacker, 'www.attacker.test');
      const forged = await selfSigned(['www.victim.test', 'victim.localhost', 'www.attacker.test']);
      sni.add(attacker, { certificateChain: forged.chainPem, privateKey: forged.keyPem });
      assert.match((await get('www.attacker.test')).names, /www\.victim\.test/, 'served for its own domain');
      assert.match((await get('www.victim.test')).names, /\*\.localhost/);
      assert.match((await get('victim.localhost')).names, /\*\.localhost/);
    });
  });
}

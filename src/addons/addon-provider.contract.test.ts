/**
 * The contract every server-backed add-on provider passes, run against each
 * one this machine can run; the others are skipped with the reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { crossUrl, KV_CLIENTS } from '../../test/support/addon-clients.js';
import { serviceAddresses } from './internal/addresses.js';
import { withHost } from './internal/credentials.js';
import { ensureServiceUser, grantTraverse } from './internal/service-user.js';
import { createSupervisor, type Supervisor } from './internal/supervisor.js';
import type { AddonProvider, Resource } from './provider.js';
import { PROVIDER_FACTORIES } from './registry.js';

const PATH = process.env.PATH ?? '/usr/bin:/bin';
const env = { PATH, LANG: 'C.UTF-8' };
/** A second loopback address stands in for the services address: servers must listen on it and on 127.0.0.1. */
const addresses = serviceAddresses({ address: '127.0.0.2', clients: '127.0.0.2/32' });

for (const kind of ['postgres', 'redis', 'mysql', 'mongodb']) {
  describe(`AddonProvider contract: ${kind}`, () => {
    const kv = KV_CLIENTS[kind]!;
    let home: string;
    let supervisor: Supervisor;
    let provider: AddonProvider;
    let skip: string | null = null;
    const newProvider = async () => {
      const user = await ensureServiceUser(process.getuid?.() === 0);
      const servicesDir = join(home, 'services');
      supervisor = createSupervisor({ user, env, logger: silentLogger });
      const reach = (dir: string) => grantTraverse(user, [home, servicesDir, dir]);
      provider = PROVIDER_FACTORIES[kind]!({ servicesDir, supervisor, user, env, path: PATH, reach, addresses });
    };

    before(async () => {
      home = mkdtempSync(join(tmpdir(), `cupaas-addon-${kind}-`));
      await newProvider();
      skip = await provider.unavailable();
      if (skip) console.log(`# SKIPPED ${kind} contract: ${skip}`);
    });
    after(async () => {
      await supervisor.stopAll();
      rmSync(home, { recursive: true, force: true });
    });
    const maybe = (name: string, fn: (t: { skip(m: string): void }) => Promise<void>) =>
      it(name, async (t) => (skip ? t.skip(`${kind} is not available here: ${skip}`) : fn(t)));

    let a: Resource;
    let b: Resource;
    maybe('provisions a resource whose URL works and keeps data', async () => {
      a = await provider.provision({ addonId: newId(), options: {} });
      assert.equal((await provider.status(a)).ok, true);
      await kv.put(a.url, 'greeting', 'hello');
      assert.equal(await kv.get(a.url, 'greeting'), 'hello');
      assert.equal(provider.credentials(a).host, '127.0.0.2', 'URLs name the services address');
      assert.equal(await kv.get(withHost(a.url, '127.0.0.1'), 'greeting'), 'hello', 'the server listens on 127.0.0.1 too');
    });

    maybe('gives each resource its own credentials, refused on any other resource', async () => {
      b = await provider.provision({ addonId: newId(), options: {} });
      assert.notEqual(provider.credentials(a).password, provider.credentials(b).password);
      assert.equal(await kv.get(b.url, 'greeting'), null);
      await assert.rejects(kv.get(crossUrl(a.url, b.url), 'greeting'));
      await assert.rejects(kv.get(crossUrl(b.url, a.url), 'greeting'));
    });

    maybe('restores a backup over changed data', async () => {
      const file = join(home, 'backup');
      await provider.backup(a, file);
      assert.ok(statSync(file).size > 0);
      await kv.del(a.url, 'greeting');
      await kv.put(a.url, 'later', 'x');
      assert.equal(await kv.get(a.url, 'greeting'), null);
      await provider.restore(a, file);
      assert.equal(await kv.get(a.url, 'greeting'), 'hello');
    });

    maybe('rotates credentials: the new URL works, the old password stops working', async () => {
      const rotated = await provider.rotate(a);
      assert.notEqual(rotated.url, a.url);
      assert.equal(await kv.get(rotated.url, 'greeting'), 'hello');
      await assert.rejects(kv.get(a.url, 'greeting'));
      a = rotated;
    });

    maybe('keeps data when its server restarts with the platform, on the same port', async () => {
      await supervisor.stopAll();
      await newProvider();
      await provider.resume([a, b]);
      assert.equal(await kv.get(a.url, 'greeting'), 'hello');
    });

    maybe('deprovisions: the data and the credentials are gone, other resources untouched', async () => {
      await provider.deprovision(b);
      await assert.rejects(kv.get(b.url, 'greeting'));
      await provider.deprovision(b); // idempotent
      assert.equal(await kv.get(a.url, 'greeting'), 'hello');
    });
  });
}

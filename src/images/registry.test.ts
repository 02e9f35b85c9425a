/**
 * The platform's registry and pushing tags, against real registries on
 * loopback: Debian's docker-registry, one open (the platform's own) and one
 * that wants a password (standing in for an outside registry such as Docker Hub).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { freePort } from '../shared/net.js';
import { silentLogger } from '../shared/logger.js';
import { waitFor } from '../shared/wait.js';
import { createSlugArchive } from '../slugs/index.js';
import { packFixtureSlug } from '../../test/support/runtime-fixtures.js';
import { engineMissing, removeEngineObjects } from '../../test/support/engine.js';
import { connectEngine, ensureStackImage, homeLabel, imageFromSlug, pushTag, registryAnswers, startLocalRegistry } from './index.js';

const missing = await engineMissing();

describe('registries', { skip: missing ?? false }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'cupaas-registry-'));
  const engine = connectEngine('/var/run/docker.sock');
  const stops: Array<() => Promise<void>> = [];
  after(async () => {
    for (const s of stops.reverse()) await s();
    await removeEngineObjects(home);
    rmSync(home, { recursive: true, force: true });
  });
  await ensureStackImage(engine, silentLogger);
  const { checksum } = await packFixtureSlug(home);
  const imageId = await imageFromSlug(engine, createSlugArchive(join(home, 'slugs')), { checksum, home: homeLabel(home), cmd: null });
  /** Removes the tag a push left on the engine (the image stays, labelled with the home). */
  const untag = (ref: string) => engine.getImage(ref).remove().catch(() => undefined);

  test('the own registry takes a release tag, is restarted when it dies, and answers pulls by tag', async () => {
    const port = await freePort('127.0.0.1');
    const reg = await startLocalRegistry({ dir: join(home, 'own'), port, logger: silentLogger });
    stops.push(() => reg.stop());
    const pushed = await pushTag(engine, imageId, { host: reg.host, repo: 'myapp', tag: 'v3' }, null);
    stops.push(() => untag(pushed.ref));
    assert.equal(pushed.ref, `${reg.host}/myapp:v3`);
    assert.match(pushed.digest, /^sha256:[0-9a-f]{64}$/);
    const manifest = await fetch(`http://${reg.host}/v2/myapp/manifests/v3`, {
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    assert.equal(manifest.status, 200);
    assert.equal(manifest.headers.get('docker-content-digest'), pushed.digest);
    // Supervised: killed, it comes back on the same port with the same data.
    process.kill(Number(readFileSync(join(home, 'own', 'registry.pid'), 'utf8')), 'SIGKILL');
    await waitFor(async () => !(await registryAnswers(reg.host)) || undefined, { what: 'registry down' }).catch(() => undefined);
    await waitFor(() => registryAnswers(reg.host).then((ok) => ok || undefined), { timeoutMs: 20_000, what: 'registry back' });
    assert.equal((await fetch(`http://${reg.host}/v2/myapp/tags/list`).then((r) => r.json()) as { tags: string[] }).tags.includes('v3'), true);
  });

  test('an outside registry that wants a password gets the tag with credentials, and refuses it without', async () => {
    const port = await freePort('127.0.0.1');
    const htpasswd = join(home, 'htpasswd');
    writeFileSync(htpasswd, `mirror-user:${bcrypt.hashSync('s3cret-pass', 10)}\n`);
    const reg = await startLocalRegistry({ dir: join(home, 'outside'), port, logger: silentLogger, htpasswd });
    stops.push(() => reg.stop());
    const target = { host: reg.host, repo: 'myapp', tag: 'v3' };
    await assert.rejects(pushTag(engine, imageId, target, null), /pushing .* failed/);
    await assert.rejects(pushTag(engine, imageId, target, { username: 'mirror-user', password: 'wrong' }), /pushing .* failed/);
    const pushed = await pushTag(engine, imageId, target, { username: 'mirror-user', password: 's3cret-pass' });
    stops.push(() => untag(pushed.ref));
    const auth = `Basic ${Buffer.from('mirror-user:s3cret-pass').toString('base64')}`;
    const tags = (await fetch(`http://${reg.host}/v2/myapp/tags/list`, { headers: { Authorization: auth } }).then((r) => r.json())) as { tags: string[] };
    assert.deepEqual(tags.tags, ['v3']);
    assert.equal((await fetch(`http://${reg.host}/v2/myapp/tags/list`)).status, 401);
  });
});

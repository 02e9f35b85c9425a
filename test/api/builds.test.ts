/**
 * Builds API (issue 3) against a real server: sources upload, builds in
 * Heroku's shape, live output streams, per-app serialisation, refusals,
 * `cupaas deploy`, and recovery of builds a crash interrupted.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tar from 'tar';
import { waitFor } from '../../src/shared/wait.js';
import { createSecretBox, loadOrCreateKey } from '../../src/store/secret-box.js';
import { REPO_ROOT, startPlatform, type TestPlatform } from '../support/platform.js';
import { rawTarball } from '../support/raw-tar.js';

let p: TestPlatform;
const temp = mkdtempSync(join(tmpdir(), 'cupaas-builds-'));
before(async () => {
  p = await startPlatform();
});
after(async () => {
  await p?.cleanup();
  rmSync(temp, { recursive: true, force: true });
});

/** A directory with `files`, or a copy of an example with `files` on top. */
function appDir(files: Record<string, string>, example?: string): string {
  const dir = mkdtempSync(join(temp, 'app-'));
  if (example) cpSync(join(REPO_ROOT, 'examples', example), dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content, { mode: 0o755 });
  }
  return dir;
}

async function upload(body: Buffer): Promise<string> {
  const src = await p.api('POST', '/sources');
  assert.equal(src.status, 201, JSON.stringify(src.body));
  assert.equal(src.body.source_blob.get_url, src.body.source_blob.put_url);
  const put = await fetch(src.body.source_blob.put_url, { method: 'PUT', body: new Uint8Array(body) });
  assert.equal(put.status, 200, await put.text());
  // Single-use: the URL takes no second upload.
  const again = await fetch(src.body.source_blob.put_url, { method: 'PUT', body: new Uint8Array(body) });
  assert.equal(again.status, 404, await again.text());
  return src.body.source_blob.get_url;
}

async function tarOf(dir: string): Promise<Buffer> {
  const file = join(temp, `src-${Date.now()}-${Math.random()}.tgz`);
  await tar.create({ gzip: true, file, cwd: dir, portable: true }, ['.']);
  return readFileSync(file);
}

async function output(build: any): Promise<string> {
  const res = await fetch(build.output_stream_url);
  assert.equal(res.status, 200);
  return res.text();
}

async function finished(app: string, id: string): Promise<any> {
  return waitFor(
    async () => {
      const r = await p.api('GET', `/apps/${app}/builds/${id}`);
      return r.body.status !== 'pending' && r.body;
    },
    { timeoutMs: 120_000, what: `build ${id}` },
  );
}

async function createApp(name: string) {
  assert.equal((await p.api('POST', '/apps', { name })).status, 201);
}

describe('builds API', () => {
  it('builds an uploaded source into a release, with output, slug and Heroku shapes', async () => {
    await createApp('api-python');
    const url = await upload(await tarOf(appDir({}, 'python-hello')));
    const r = await p.api('POST', '/apps/api-python/builds', { source_blob: { url, version: 'v1.2.3' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.status, 'pending');
    assert.equal(r.body.app.name, 'api-python');
    assert.equal(r.body.source_blob.version, 'v1.2.3');
    const text = await output(r.body);
    assert.match(text, /Python app detected[\s\S]*Released v2\n/);
    const build = await finished('api-python', r.body.id);
    assert.equal(build.status, 'succeeded');
    assert.equal(build.stack, 'cupaas-24');
    const release = (await p.api('GET', '/apps/api-python/releases/2')).body;
    assert.equal(release.description, 'Deploy v1.2.3');
    assert.equal(release.id, build.release.id);
    const slug = await p.api('GET', `/apps/api-python/slugs/${build.slug.id}`);
    assert.deepEqual(slug.body.process_types, { web: 'python3 app.py', worker: 'python3 worker.py' });
    assert.equal((await p.api('GET', '/apps/api-python/builds')).body.length, 1);
    assert.equal((await p.api('DELETE', '/apps/api-python/build-cache')).status, 202);
    const noToken = await fetch(build.output_stream_url.replace(/token=.*/, 'token=forged'));
    assert.equal(noToken.status, 404);
    // Output URLs expire: one sealed with the server's key but a past expiry is refused.
    const box = createSecretBox(loadOrCreateKey(join(p.home, 'secret.key')));
    const sealed = (expiry: number) => box.seal(`build-output:${build.app.id}:${build.id}:${expiry}`).toString('base64url');
    const withToken = (t: string) => build.output_stream_url.replace(/token=.*/, `token=${t}`);
    assert.equal((await fetch(withToken(sealed(Date.now() - 1000)))).status, 404);
    const fresh = await fetch(withToken(sealed(Date.now() + 60_000)));
    assert.equal(fresh.status, 200);
    await fresh.text();
  });

  it('serialises builds of one app: the second waits and says so', async () => {
    await createApp('api-serial');
    const url = await upload(await tarOf(appDir({}, 'static-site')));
    const first = (await p.api('POST', '/apps/api-serial/builds', { source_blob: { url } })).body;
    const second = (await p.api('POST', '/apps/api-serial/builds', { source_blob: { url } })).body;
    const [out1, out2] = await Promise.all([output(first), output(second)]);
    assert.match(out2, new RegExp(`Waiting for build ${first.id} of api-serial to finish`));
    assert.match(out1, /Released v2/);
    assert.match(out2, /Released v3/);
  });

  it('never fetches other URLs, checks checksums, and refuses hostile archives', async () => {
    await createApp('api-refusals');
    const foreign = await p.api('POST', '/apps/api-refusals/builds', { source_blob: { url: 'http://127.0.0.2:9/x.tgz' } });
    assert.equal(foreign.status, 422);
    assert.match(foreign.body.message, /never fetches other URLs/);

    const url = await upload(await tarOf(appDir({}, 'static-site')));
    const wrongSum = (await p.api('POST', '/apps/api-refusals/builds', { source_blob: { url, checksum: `SHA256:${'0'.repeat(64)}` } })).body;
    assert.match(await output(wrongSum), /checksum is SHA256:[0-9a-f]{64}, not SHA256:0{64}/);
    assert.equal((await finished('api-refusals', wrongSum.id)).status, 'failed');

    const evilUrl = await upload(rawTarball([{ path: 'index.html', body: 'x' }, { path: '../../../../tmp/evil', body: 'pwned' }]));
    const evil = (await p.api('POST', '/apps/api-refusals/builds', { source_blob: { url: evilUrl } })).body;
    assert.match(await output(evil), /Refusing the source archive: entry "\.\.\/\.\.\/\.\.\/\.\.\/tmp\/evil" points outside the app directory/);
    const releases = (await p.api('GET', '/apps/api-refusals/releases')).body;
    assert.equal(releases.length, 1, 'no release was created');
  });
});

describe('cupaas deploy', () => {
  it('uploads a directory, streams the build and exits 0; a failing build exits non-zero', async () => {
    await createApp('cli-deploy');
    const ok = await p.cli(['deploy', appDir({}, 'static-site'), '-a', 'cli-deploy']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Static site app detected[\s\S]*Released v2/);
    const bad = await p.cli(['deploy', appDir({ 'app.json': '{ "env": ' }), '-a', 'cli-deploy']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stdout + bad.stderr, /app\.json line 1: expected valid JSON/);
    const builds = await p.cli(['builds', '-a', 'cli-deploy']);
    assert.match(builds.stdout, /failed[\s\S]*succeeded/);
  });
});

describe('crash recovery', () => {
  it('marks a build the server died during as failed, with a reason in its output', async () => {
    await createApp('crashy');
    const slow = appDir({
      '.cupaas': 'buildpacks: [./slow-bp]\n',
      'slow-bp/bin/detect': '#!/bin/sh\necho Slow\n',
      'slow-bp/bin/compile': '#!/bin/sh\necho "-----> compiling slowly"\nexec sleep 120\n',
    });
    const url = await upload(await tarOf(slow));
    const build = (await p.api('POST', '/apps/crashy/builds', { source_blob: { url } })).body;
    const res = await fetch(build.output_stream_url);
    const reader = res.body!.getReader();
    let seen = '';
    await waitFor(async () => {
      const { value } = await reader.read();
      seen += new TextDecoder().decode(value);
      return seen.includes('compiling slowly');
    }, { timeoutMs: 60_000, what: 'the slow compile to start' });
    await p.kill9();
    p = await p.restart();
    const after = (await p.api('GET', `/apps/crashy/builds/${build.id}`)).body;
    assert.equal(after.status, 'failed');
    assert.match(after.failure_reason, /server stopped/);
    assert.match(await output(after), /compiling slowly[\s\S]*The server stopped while this build was running/);
  });
});

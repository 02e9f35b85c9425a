/**
 * Connected repositories end to end (issue 7): a real server, real git and
 * the real deploy pipeline. Remotes are local bare repositories over file://
 * and over HTTP on loopback (git http-backend).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { createRemote, serveGitHttp, type GitHttpServer } from '../support/git-repos.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

interface BuildJson {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  trigger: string;
  source_blob: { version: string | null; version_description: string | null };
  commit_author: string | null;
  release: { id: string } | null;
}

/** A web app the generic buildpack builds (Procfile); it answers with its VERSION file. */
const app = (version: string): Record<string, string> => ({
  Procfile: 'web: node server.js\n',
  'server.js': "require('http').createServer((q, s) => s.end(require('fs').readFileSync(__dirname + '/VERSION', 'utf8'))).listen(process.env.PORT);\n",
  VERSION: `${version}\n`,
});

/**
 * Puts into a work tree a buildpack whose compile waits until `gate` exists,
 * so a test can kill the server while the build runs; app.json runs it before the generic one.
 */
function addGatedBuildpack(work: string, gate: string): void {
  const bin = join(work, 'gated-bp', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'detect'), '#!/usr/bin/env bash\necho gated\n');
  writeFileSync(join(bin, 'compile'), `#!/usr/bin/env bash\nwhile [ ! -e '${gate}' ]; do sleep 0.1; done\n`);
  for (const f of ['detect', 'compile']) chmodSync(join(bin, f), 0o755);
  writeFileSync(join(work, 'app.json'), JSON.stringify({ buildpacks: [{ url: './gated-bp' }, { url: 'generic' }] }));
}

let p: TestPlatform;
let root: string;
let http: GitHttpServer | undefined;
let skip: string | false = false;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cupaas-repo-e2e-'));
  // The gated buildpack below waits for a file the test writes on the host; a sandboxed build sees only
  // its own dirs (test/e2e/build-sandbox covers that), so this file's builds run unsandboxed.
  p = await startPlatform({ env: { CUPAAS_SANDBOX: 'off' } });
  await p.api('POST', '/apps', { name: 'probe' });
  const builds = await p.api('POST', '/apps/probe/builds', {});
  if (builds.status === 404) skip = 'the deploy pipeline (POST /apps/{app}/builds) is not wired yet';
});
after(async () => {
  await p?.cleanup();
  await http?.close();
  rmSync(root, { recursive: true, force: true });
});

const builds = async (name: string): Promise<BuildJson[]> => (await p.api('GET', `/apps/${name}/builds`)).body as BuildJson[];
const finished = (name: string, sha: string, timeoutMs = 120_000) =>
  waitFor(
    async () => (await builds(name)).find((b) => b.source_blob.version === sha && b.status !== 'pending'),
    { timeoutMs, intervalMs: 200, what: `build of ${sha.slice(0, 7)} for ${name}` },
  );
const idle = (name: string) =>
  waitFor(async () => (await builds(name)).every((b) => b.status !== 'pending') && (await p.api('GET', `/apps/${name}/repo`)).body.building_sha === null, {
    timeoutMs: 120_000, intervalMs: 200, what: `${name} to be idle`,
  });
const currentRelease = async (name: string) =>
  ((await p.api('GET', `/apps/${name}/releases`)).body as Array<{ id: string; current: boolean }>).find((r) => r.current);
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('connected repository deploys (real pipeline)', () => {
  it('deploys on connect, on a signed GitHub webhook, never on a bad signature or another branch, and survives a failed build', async (t) => {
    if (skip) return t.skip(skip);
    const remote = createRemote(root, 'hooked');
    const v1 = remote.commit('version one', app('one'));
    assert.equal((await p.api('POST', '/apps', { name: 'hooked' })).status, 201);
    const put = await p.api('PUT', '/apps/hooked/repo', { url: remote.fileUrl, branch: 'main', poll_interval: 0 });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    const first = await finished('hooked', v1);
    assert.equal(first.status, 'succeeded');
    assert.equal(first.trigger, 'manual');
    assert.equal(first.source_blob.version_description, 'version one');
    assert.match(first.commit_author ?? '', /Ada Lovelace/);

    const secret = put.body.webhook_secret as string;
    const hookPath = new URL(put.body.webhook_url).pathname;
    const send = (body: string, signature: string) =>
      fetch(p.apiUrl + hookPath, {
        method: 'POST', body,
        headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signature },
      });
    const v2 = remote.commit('version two', app('two'));
    const payload = JSON.stringify({ ref: 'refs/heads/main', before: v1, after: v2 });
    assert.equal((await send(payload, sign('not-the-secret', payload))).status, 401);
    const feature = remote.commit('feature work', app('feature'), 'feature');
    const other = JSON.stringify({ ref: 'refs/heads/feature', after: feature });
    const ignored = await send(other, sign(secret, other));
    assert.equal(ignored.status, 200);
    assert.equal(((await ignored.json()) as { status: string }).status, 'ignored');
    assert.equal((await send(payload, sign(secret, payload))).status, 202);
    const second = await finished('hooked', v2);
    assert.equal(second.status, 'succeeded');
    assert.equal(second.trigger, 'webhook');
    assert.equal((await builds('hooked')).length, 2, 'the bad signature and the feature push built nothing');
    assert.equal((await currentRelease('hooked'))?.id, second.release?.id);

    // A commit that no buildpack detects fails; the release of v2 keeps serving, and the next commit deploys.
    rmSync(join(remote.work, 'Procfile'));
    const broken = remote.commit('remove the Procfile');
    const brokenPayload = JSON.stringify({ ref: 'refs/heads/main', after: broken });
    assert.equal((await send(brokenPayload, sign(secret, brokenPayload))).status, 202);
    assert.equal((await finished('hooked', broken)).status, 'failed');
    assert.equal((await currentRelease('hooked'))?.id, second.release?.id);
    const fixed = remote.commit('fix', app('three'));
    const fixPayload = JSON.stringify({ ref: 'refs/heads/main', after: fixed });
    assert.equal((await send(fixPayload, sign(secret, fixPayload))).status, 202);
    const third = await finished('hooked', fixed);
    assert.equal(third.status, 'succeeded');
    assert.equal((await currentRelease('hooked'))?.id, third.release?.id);
  });

  it('polls over HTTP with a token, coalesces a burst of commits, and backs off while the remote is down', async (t) => {
    if (skip) return t.skip(skip);
    const token = 'e2e-token-value';
    http = await serveGitHttp(root, { username: 'x-access-token', password: token });
    const remote = createRemote(root, 'polled');
    const v1 = remote.commit('one', app('one'));
    assert.equal((await p.api('POST', '/apps', { name: 'polled' })).status, 201);
    const put = await p.api('PUT', '/apps/polled/repo', {
      url: http.urlOf(remote.bare), poll_interval: 1, credential: { type: 'token', token },
    });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    assert.equal((await finished('polled', v1)).status, 'succeeded');

    const burst = [remote.commit('a', app('a')), remote.commit('b', app('b')), remote.commit('c', app('c'))];
    const newest = burst[2] as string;
    const last = await finished('polled', newest);
    await idle('polled');
    const after = (await builds('polled')).filter((b) => b.source_blob.version !== v1);
    assert.ok(after.length <= 2, `a burst of three commits built ${after.length} times`);
    assert.ok(after.every((b) => b.trigger === 'poll'));
    assert.equal(last.status, 'succeeded');
    assert.equal((await currentRelease('polled'))?.id, last.release?.id, 'the release points at the newest commit');

    http.setDown(true);
    const retries = await waitFor(
      async () => {
        const logs = await p.cli(['logs', '-a', 'polled', '-n', '500']);
        const waits = [...logs.stdout.matchAll(/Polling failed, retrying in (\d+)s/g)].map((m) => Number(m[1]));
        return waits.length >= 2 ? waits : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'two failed polls in the logs' },
    );
    assert.ok((retries[1] as number) > (retries[0] as number), `back-off grows: ${retries.join(', ')}`);
    const down = await p.cli(['apps:info', '-a', 'polled']);
    assert.match(down.stdout, /Repo Error:\s+git ls-remote failed/);

    http.setDown(false);
    const v5 = remote.commit('after the outage', app('five'));
    assert.equal((await finished('polled', v5)).status, 'succeeded');
    const up = await p.cli(['apps:info', '-a', 'polled']);
    assert.doesNotMatch(up.stdout, /Repo Error/);
    assert.ok(!p.output().includes(token) && !up.stdout.includes(token), 'the token leaked');
  });

  // Last: it replaces the platform with a restarted one.
  it('after a kill -9 mid-build, the restarted server deploys that commit by itself, once', async (t) => {
    if (skip) return t.skip(skip);
    const remote = createRemote(root, 'crashed');
    const v1 = remote.commit('one', app('one'));
    assert.equal((await p.api('POST', '/apps', { name: 'crashed' })).status, 201);
    const put = await p.api('PUT', '/apps/crashed/repo', { url: remote.fileUrl, branch: 'main', poll_interval: 1 });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    assert.equal((await finished('crashed', v1)).status, 'succeeded');

    const gate = join(root, 'crashed-gate');
    addGatedBuildpack(remote.work, gate);
    const v2 = remote.commit('two, built slowly', app('two'));
    await waitFor(async () => (await builds('crashed')).find((b) => b.source_blob.version === v2 && b.status === 'pending'), {
      timeoutMs: 30_000, intervalMs: 100, what: 'the poll to start building v2',
    });
    await p.kill9();
    writeFileSync(gate, '');
    p = await p.restart();

    // No new commit, no webhook: only the restart can build v2 again.
    const rebuilt = await waitFor(
      async () => (await builds('crashed')).find((b) => b.source_blob.version === v2 && b.trigger !== 'poll' && b.status !== 'pending'),
      { timeoutMs: 120_000, intervalMs: 200, what: 'v2 to be built again after the restart' },
    );
    assert.equal(rebuilt.status, 'succeeded');
    await idle('crashed');
    const ofV2 = (await builds('crashed')).filter((b) => b.source_blob.version === v2);
    assert.deepEqual(ofV2.map((b) => `${b.trigger}:${b.status}`).sort(), ['poll:failed', 'restart:succeeded']);
    assert.equal((await currentRelease('crashed'))?.id, rebuilt.release?.id);
  });
});


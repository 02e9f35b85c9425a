/** Connected repositories over the real API: connect, show, webhooks, disconnect (issue 7). */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { createRemote, serveGitHttp, type GitHttpServer, type TestRemote } from '../support/git-repos.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
let root: string;
let remote: TestRemote;
let http: GitHttpServer;
const TOKEN = 'glpat-VerySecretToken-42';

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'cupaas-repo-api-'));
  remote = createRemote(root, 'site');
  remote.commit('first', { 'README.md': 'hello\n' });
  http = await serveGitHttp(root, { username: 'x-access-token', password: TOKEN });
  p = await startPlatform();
});
after(async () => {
  await p?.cleanup();
  await http.close();
  rmSync(root, { recursive: true, force: true });
});

const createApp = async (name: string) => assert.equal((await p.api('POST', '/apps', { name })).status, 201);
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const hook = (path: string, body: string, headers: Record<string, string>) =>
  fetch(p.apiUrl + path, { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } });

describe('repository connections API', () => {
  it('connects, shows the secret once, keeps it across reconnects, and validates input', async () => {
    await createApp('repo-api');
    const put = await p.api('PUT', '/apps/repo-api/repo', { url: remote.fileUrl, branch: 'main', poll_interval: 0 });
    assert.equal(put.status, 201, JSON.stringify(put.body));
    assert.equal(put.body.url, remote.fileUrl);
    assert.equal(put.body.credential, null);
    assert.match(put.body.webhook_secret, /^[\w-]{40,}$/);
    assert.match(put.body.webhook_url, /\/hooks\/[0-9a-f-]{36}$/);
    assert.match(put.body.deploy.sha, /^[0-9a-f]{40}$/);

    const got = await p.api('GET', '/apps/repo-api/repo');
    assert.equal(got.status, 200);
    assert.equal(got.body.webhook_secret, undefined);
    assert.ok(!JSON.stringify(got.body).includes(put.body.webhook_secret));
    assert.equal(await waitFor(async () => (await p.api('GET', '/apps/repo-api/repo')).body.last_seen_sha), put.body.deploy.sha);

    const again = await p.api('PUT', '/apps/repo-api/repo', { url: remote.fileUrl, poll_interval: 0 });
    assert.equal(again.status, 200);
    assert.equal(again.body.webhook_secret, put.body.webhook_secret);
    assert.equal(again.body.branch, 'main');

    for (const body of [
      { url: 'ext::sh -c touch% /tmp/pwned' },
      { url: '--upload-pack=touch /tmp/pwned' },
      { url: 'https://u:p@example.com/a.git' },
      { url: remote.fileUrl, branch: '../x' },
      { url: remote.fileUrl, poll_interval: -1 },
      { url: remote.fileUrl, credential: { type: 'token', token: 'x' } },
      { url: 'git@example.com:a/b.git', credential: { type: 'password', password: 'x' } },
    ]) {
      const r = await p.api('PUT', '/apps/repo-api/repo', body);
      assert.equal(r.status, 422, `${JSON.stringify(body)} -> ${r.status} ${JSON.stringify(r.body)}`);
    }
  });

  it('fetches over HTTP with a token that never shows in responses, the app state or the server log', async () => {
    await createApp('repo-token');
    const put = await p.api('PUT', '/apps/repo-token/repo', {
      url: http.urlOf(remote.bare), poll_interval: 0, credential: { type: 'token', token: TOKEN },
    });
    assert.equal(put.status, 201);
    assert.match(put.body.deploy.sha, /^[0-9a-f]{40}$/, JSON.stringify(put.body));
    assert.deepEqual(put.body.credential, { type: 'token' });
    assert.ok(http.requests.some((r) => r.authorized));

    const wrong = await p.api('PUT', '/apps/repo-token/repo', {
      url: http.urlOf(remote.bare), poll_interval: 0, credential: { type: 'token', token: 'wrong-' + TOKEN },
    });
    assert.match(wrong.body.deploy.error, /git fetch failed/);
    const info = await p.cli(['apps:info', '-a', 'repo-token']);
    assert.match(info.stdout, /Repo Error:\s+git fetch failed/);
    for (const text of [JSON.stringify(put.body), JSON.stringify(wrong.body), info.stdout, p.output()]) {
      assert.ok(!text.includes(TOKEN), 'token leaked');
      assert.ok(!text.includes(Buffer.from(`x-access-token:${TOKEN}`).toString('base64')), 'auth header leaked');
    }
  });

  it('verifies webhooks: 404 without a connection, 401 on a bad signature, pong, ignored refs, accepted pushes', async () => {
    await createApp('repo-hooks');
    const push = (ref: string) => JSON.stringify({ ref, after: 'a'.repeat(40) });
    assert.equal((await hook('/hooks/repo-hooks', push('refs/heads/main'), { 'X-GitHub-Event': 'push' })).status, 404);
    assert.equal((await hook('/hooks/no-such-app', push('refs/heads/main'), { 'X-GitHub-Event': 'push' })).status, 404);

    const put = await p.api('PUT', '/apps/repo-hooks/repo', { url: remote.fileUrl, poll_interval: 0 });
    const secret = put.body.webhook_secret as string;
    const path = new URL(put.body.webhook_url).pathname;
    const gh = (event: string, body: string, s = secret) =>
      hook(path, body, { 'X-GitHub-Event': event, 'X-Hub-Signature-256': sign(s, body) });

    const bad = await gh('push', push('refs/heads/main'), 'wrong');
    assert.equal(bad.status, 401);
    assert.equal((await hook(path, push('refs/heads/main'), { 'X-GitHub-Event': 'push' })).status, 401);
    const ping = await gh('ping', '{"zen":"Keep it logically awesome."}');
    assert.equal(ping.status, 200);
    assert.equal(((await ping.json()) as { status: string }).status, 'pong');
    for (const ref of ['refs/heads/feature', 'refs/tags/v1']) {
      const r = await gh('push', push(ref));
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as { status: string }).status, 'ignored');
    }
    const gitlab = await hook(path, push('refs/heads/main'), { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Token': secret });
    assert.equal(gitlab.status, 202);
    const byName = await gh('push', push('refs/heads/main'));
    assert.equal(byName.status, 202);
    const trail = await p.api('GET', '/apps/repo-hooks/audit-events');
    const hooked = trail.body.find((e: any) => e.source === 'webhook' && e.status === 202);
    assert.ok(hooked, JSON.stringify(trail.body));
    assert.equal(hooked.user, null);
    assert.match(hooked.detail, /github push/);

    const del = await p.api('DELETE', '/apps/repo-hooks/repo');
    assert.equal(del.status, 200);
    assert.equal((await p.api('GET', '/apps/repo-hooks/repo')).status, 404);
    assert.equal((await gh('push', push('refs/heads/main'))).status, 404);
  });

  it('the CLI connects, shows the connection in apps:info, triggers and disconnects', async () => {
    await createApp('repo-cli');
    const c = await p.cli(['apps:connect', remote.fileUrl, '--poll', 'off', '-a', 'repo-cli']);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /Connected repo-cli to file:\/\/.*\(branch main, polling off/);
    const secret = /Webhook secret:\s+(\S+)/.exec(c.stdout)?.[1];
    assert.ok(secret);
    const info = await p.cli(['apps:info', '-a', 'repo-cli']);
    assert.match(info.stdout, /Repository:\s+file:\/\/\S+ \(branch main\)/);
    assert.match(info.stdout, /Repo Polling:\s+off/);
    assert.ok(!info.stdout.includes(secret));
    const t = await p.cli(['deploys:trigger', '-a', 'repo-cli']);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /[0-9a-f]{7}/);
    const d = await p.cli(['apps:disconnect', '-a', 'repo-cli']);
    assert.equal(d.code, 0, d.stderr);
    assert.doesNotMatch((await p.cli(['apps:info', '-a', 'repo-cli'])).stdout, /Repository:/);
    const bad = await p.cli(['apps:connect', 'ext::sh -c id', '-a', 'repo-cli']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /transport helpers/);
  });
});

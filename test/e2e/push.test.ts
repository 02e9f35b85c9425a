/**
 * Deploy by `git push` (issue 3): the real git client pushes the examples over
 * smart HTTP to a real server, the build streams back as `remote:` lines, and
 * a release of the new slug is recorded.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc, type AppWorkTree } from '../support/push.js';

let p: TestPlatform;
before(async () => {
  p = await startPlatform();
  writeNetrc(p);
});
after(() => p?.cleanup());

async function createApp(name: string) {
  const r = await p.api('POST', '/apps', { name });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

async function currentRelease(app: string) {
  const r = await p.api('GET', `/apps/${app}/releases`);
  assert.equal(r.status, 200);
  return (r.body as any[]).find((x) => x.current);
}

async function latestBuild(app: string) {
  const r = await p.api('GET', `/apps/${app}/builds`);
  assert.equal(r.status, 200);
  return (r.body as any[]).at(-1);
}

async function slugOf(app: string, release: any) {
  const r = await p.api('GET', `/apps/${app}/slugs/${release.slug.id}`);
  assert.equal(r.status, 200);
  return r.body;
}

async function formation(app: string) {
  const r = await p.api('GET', `/apps/${app}/formation`);
  return r.status === 200 ? Object.fromEntries((r.body as any[]).map((f) => [f.type, f.quantity])) : null;
}

/** Pushes and asserts the push deployed `sha` as the next release; returns git's output. */
async function pushDeploys(tree: AppWorkTree, app: string, sha: string, version: number): Promise<string> {
  const push = await tree.push();
  assert.equal(push.code, 0, push.output);
  assert.match(push.output, new RegExp(`remote: -----> Released v${version}`));
  assert.match(push.output, new RegExp(`remote: +http://${app}\\.localhost:\\d+/ deployed to cupaas`));
  const release = await currentRelease(app);
  assert.equal(release.version, version);
  assert.equal(release.description, `Deploy ${sha.slice(0, 7)}`);
  const build = await latestBuild(app);
  assert.equal(build.status, 'succeeded');
  assert.equal(build.source_blob.version, sha);
  assert.equal(build.release.id, release.id);
  return push.output;
}

describe('git push deploys', () => {
  it('python-hello: stdlib app with web and worker processes', async () => {
    await createApp('python-hello');
    const tree = await appWorkTree(p, 'python-hello', 'python-hello');
    const sha = await tree.commit('first python deploy');
    const out = await pushDeploys(tree, 'python-hello', sha, 2);
    assert.match(out, /remote: -----> Python app detected/);
    assert.match(out, /No dependencies declared/);
    const release = await currentRelease('python-hello');
    const slug = await slugOf('python-hello', release);
    assert.deepEqual(slug.process_types, { web: 'python3 app.py', worker: 'python3 worker.py' });
    assert.equal(slug.commit, sha);
    assert.match(slug.checksum, /^SHA256:[0-9a-f]{64}$/);
    const f = await formation('python-hello');
    if (f) assert.deepEqual(f, { web: 1, worker: 0 });

    const list = await p.cli(['builds', '-a', 'python-hello']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /succeeded/);
    const log = await p.cli(['builds:output', '-a', 'python-hello']);
    assert.equal(log.code, 0, log.stderr);
    assert.match(log.stdout, /Python app detected[\s\S]*Released v2/);
  });

  it('static-site: served by the built-in static server', async () => {
    await createApp('static-site');
    const tree = await appWorkTree(p, 'static-site', 'static-site');
    const sha = await tree.commit('static site');
    const out = await pushDeploys(tree, 'static-site', sha, 2);
    assert.match(out, /Static site app detected/);
    const slug = await slugOf('static-site', await currentRelease('static-site'));
    assert.deepEqual(slug.process_types, { web: 'node .cupaas-static/server.mjs' });
  });

  it('node-hello: npm ci, then a code-only redeploy reuses the cached node_modules', async () => {
    await createApp('node-hello');
    const tree = await appWorkTree(p, 'node-hello', 'node-hello');
    const first = await tree.commit('node app');
    const cold = await pushDeploys(tree, 'node-hello', first, 2);
    assert.match(cold, /Node\.js app detected/);
    assert.match(cold, /Installing dependencies: npm ci/);
    const second = await tree.commit('change only code', {
      'server.js': (await import('node:fs')).readFileSync(`${tree.dir}/server.js`, 'utf8') + '\n// a code change\n',
    });
    const warm = await pushDeploys(tree, 'node-hello', second, 3);
    assert.match(warm, /Restoring production node_modules from the build cache \(package-lock\.json unchanged, skipping npm ci --include=dev and npm prune/);
    assert.doesNotMatch(warm, /Installing dependencies/);
    const slug = await slugOf('node-hello', await currentRelease('node-hello'));
    assert.deepEqual(slug.process_types, { web: 'node server.js' });
  });

  it('accepts master for a main deploy branch', async () => {
    await createApp('branch-app');
    const tree = await appWorkTree(p, 'branch-app', 'python-hello');
    const sha = await tree.commit('on master');
    const push = await tree.push('HEAD:master');
    assert.equal(push.code, 0, push.output);
    assert.equal((await currentRelease('branch-app')).description, `Deploy ${sha.slice(0, 7)}`);
  });
});

describe('git push refusals', () => {
  it('a failing build rejects the push and leaves the current release', async () => {
    await createApp('broken-build');
    const tree = await appWorkTree(p, 'broken-build', 'python-hello');
    const good = await tree.commit('good');
    await pushDeploys(tree, 'broken-build', good, 2);
    await tree.commit('broken', {
      'package.json': JSON.stringify({ name: 'x', version: '1.0.0', scripts: { build: 'echo compiling; exit 3' } }),
    });
    const push = await tree.push();
    assert.notEqual(push.code, 0);
    assert.match(push.output, /remote: .*compiling/);
    assert.match(push.output, /Build failed; the app keeps running its current release/);
    assert.match(push.output, /pre-receive hook declined/);
    const release = await currentRelease('broken-build');
    assert.equal(release.version, 2);
    assert.equal(release.description, `Deploy ${good.slice(0, 7)}`);
    const build = await latestBuild('broken-build');
    assert.equal(build.status, 'failed');
    const out = await p.cli(['builds:output', build.id, '-a', 'broken-build']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /failed to compile/);
  });

  it('names the file, line and expectation of malformed manifests', async () => {
    await createApp('bad-manifests');
    const tree = await appWorkTree(p, 'bad-manifests', 'python-hello');
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ Procfile: 'web: python3 app.py\nthis is not a process line\n' }, /Procfile line 2: expected "<process type>: <command>"/],
      [{ Procfile: 'web: python3 app.py\n', 'app.json': '{\n  "env": {\n    "A": "1"\n    "B": "2"\n  }\n}\n' }, /app\.json line 4: expected valid JSON/],
      [{ 'app.json': '{\n  "formation": {\n    "web": { "quantity": "two" }\n  }\n}\n' }, /app\.json line 3: formation\.web\.quantity: .*expected number/],
      [{ 'app.json': '{}', '.cupaas': 'runtime: node\nservices: [postgres\n' }, /\.cupaas line \d: expected valid YAML/],
      [{ '.cupaas': 'runtime: ruby\n' }, /\.cupaas line 1: runtime: unknown runtime; supported: node, python, static, generic/],
      [{ '.cupaas': 'runtime: python\nservices:\n  - postgres\n  - cassandra\n' }, /\.cupaas line 4: services\.1: unknown service; supported: postgres, redis/],
    ];
    for (const [files, expected] of cases) {
      await tree.commit('bad manifest', files);
      const push = await tree.push();
      assert.notEqual(push.code, 0, push.output);
      assert.match(push.output, expected);
    }
    assert.equal((await currentRelease('bad-manifests')).version, 1);
  });

  it('refuses other branches, naming the deploy branch', async () => {
    await createApp('wrong-branch');
    const tree = await appWorkTree(p, 'wrong-branch', 'python-hello');
    await tree.commit('feature work');
    const push = await tree.push('HEAD:feature');
    assert.notEqual(push.code, 0);
    assert.match(push.output, /Pushed to feature, but this app deploys only the branch main\. Push with: git push cupaas HEAD:main/);
    assert.equal((await currentRelease('wrong-branch')).version, 1);
  });

  it('refuses pushes without or with a wrong API key, and to unknown apps', async () => {
    await createApp('guarded');
    const tree = await appWorkTree(p, 'guarded', 'python-hello');
    await tree.commit('x');
    const url = new URL(`${p.apiUrl}/guarded.git`);
    url.username = 'cupaas';
    url.password = 'wrong-key';
    const wrong = await tree.push('HEAD:main', url.toString());
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.output, /Authentication failed|401/);
    writeNetrc(p, 'not-a-key');
    try {
      const none = await tree.push();
      assert.notEqual(none.code, 0);
    } finally {
      writeNetrc(p);
    }
    const unknown = await tree.push('HEAD:main', `${p.apiUrl}/no-such-app.git`);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.output, /404|not found/i);
    assert.equal((await currentRelease('guarded')).version, 1);
  });

  it('keeps the bare repo by app id, and removes it with the app', async () => {
    const app = (await p.api('POST', '/apps', { name: 'doomed' })).body;
    const tree = await appWorkTree(p, 'doomed', 'static-site');
    await tree.commit('deploy');
    assert.equal((await tree.push()).code, 0);
    const repo = join(p.home, 'repos', `${app.id}.git`);
    assert.ok(existsSync(join(repo, 'HEAD')));
    assert.equal((await p.api('PATCH', '/apps/doomed', { name: 'renamed-doomed' })).status, 200);
    assert.equal((await tree.push('HEAD:main', `${p.apiUrl}/renamed-doomed.git`)).code, 0, 'the renamed app keeps its repo');
    assert.equal((await p.api('DELETE', '/apps/renamed-doomed')).status, 200);
    await waitFor(() => !existsSync(repo), { what: 'the bare repo to be removed' });
  });
});

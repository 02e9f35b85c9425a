/** The `cupaas` CLI run as a subprocess against a real server (issue 2). */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startPlatform, type TestPlatform } from '../support/platform.js';

let p: TestPlatform;
let work: string;
before(async () => {
  p = await startPlatform();
  work = mkdtempSync(join(tmpdir(), 'cupaas-cli-'));
});
after(async () => {
  await p.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const ok = async (args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) => {
  const r = await p.cli(args, opts);
  assert.equal(r.code, 0, `cupaas ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

describe('cupaas CLI', () => {
  it('finds the local admin key without login and prints it with auth:token', async () => {
    assert.equal((await ok(['auth:token'])).trim(), p.apiKey);
    assert.equal((await ok(['auth:whoami'])).trim(), 'admin@cupaas.local');
  });

  it('finds the API of the server on its CUPAAS_HOME when CUPAAS_API_URL is not set', async () => {
    // The test server listens on a random port; only server.json in CUPAAS_HOME says which.
    assert.equal((await ok(['auth:whoami'], { env: { CUPAAS_API_URL: '' } })).trim(), 'admin@cupaas.local');
  });

  it('creates an app, sets and unsets config, lists releases and rolls back', async () => {
    const dir = join(work, 'checkout');
    mkdirSync(dir);
    execFileSync('git', ['init', '-q', dir]);
    const created = await ok(['apps:create', 'cli-app'], { cwd: dir });
    assert.match(created, /Creating cli-app\.\.\. done/);
    assert.match(created, /Git remote cupaas added/);
    // Inside the checkout the app comes from the `cupaas` remote; no -a needed.
    assert.match(await ok(['config:set', 'FOO=bar', 'URL=http://x/?a=b=c'], { cwd: dir }), /done, v2/);
    assert.equal((await ok(['config:get', 'URL'], { cwd: dir })).trim(), 'http://x/?a=b=c');
    assert.match(await ok(['config:unset', 'FOO', '-a', 'cli-app']), /done, v3/);
    assert.deepEqual(JSON.parse(await ok(['config', '--json', '-a', 'cli-app'])), { URL: 'http://x/?a=b=c' });

    const releases = await ok(['releases', '-a', 'cli-app']);
    assert.match(releases, /Current: v3/);
    assert.ok(releases.indexOf('v3') < releases.indexOf('v2') && releases.indexOf('v2') < releases.indexOf('v1'));

    assert.match(await ok(['rollback', '-a', 'cli-app']), /Rolling back cli-app to v2\.\.\. done, v4/);
    assert.deepEqual(JSON.parse(await ok(['config', '--json', '-a', 'cli-app'])), { FOO: 'bar', URL: 'http://x/?a=b=c' });
    const info = JSON.parse(await ok(['releases:info', 'v4', '--json', '-a', 'cli-app']));
    assert.equal(info.description, 'Rollback to v2');
    const list = JSON.parse(await ok(['releases', '--json', '-a', 'cli-app']));
    assert.deepEqual(list.map((r: { version: number }) => r.version), [4, 3, 2, 1]);
  });

  it('renames and destroys only with --confirm', async () => {
    await ok(['apps:create', 'to-rename', '--no-remote']);
    assert.match(await ok(['apps:rename', 'renamed-app', '-a', 'to-rename']), /Renaming to-rename to renamed-app/);
    const info = JSON.parse(await ok(['apps:info', '--json', '-a', 'renamed-app']));
    assert.equal(info.name, 'renamed-app');
    const refused = await p.cli(['apps:destroy', '-a', 'renamed-app']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /--confirm renamed-app/);
    await ok(['apps:destroy', '-a', 'renamed-app', '--confirm', 'renamed-app']);
    const apps = JSON.parse(await ok(['apps', '--json']));
    assert.ok(!apps.some((a: { name: string }) => a.name === 'renamed-app'));
  });

  it('logs in by storing the key in ~/.netrc, which later calls use', async () => {
    const elsewhere = join(work, 'no-home');
    const env = { CUPAAS_HOME: elsewhere };
    const before = await p.cli(['apps'], { env });
    assert.notEqual(before.code, 0);
    assert.match(before.stderr, /cupaas login/);

    assert.match(await ok(['login', '--api-key', p.apiKey], { env }), /Logged in as admin@cupaas\.local/);
    const netrc = join(p.userHome, '.netrc');
    assert.match(readFileSync(netrc, 'utf8'), new RegExp(`machine 127\\.0\\.0\\.1\\s+login admin@cupaas\\.local\\s+password ${p.apiKey}`));
    assert.equal(statSync(netrc).mode & 0o777, 0o600);
    assert.match(await ok(['apps'], { env }), /=== Apps/);
    assert.equal((await ok(['auth:token'], { env })).trim(), p.apiKey);

    await ok(['logout'], { env });
    assert.doesNotMatch(readFileSync(netrc, 'utf8'), /password/);
    const bad = await p.cli(['login', '--api-key', 'wrong-key'], { env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Invalid credentials/);
  });

  it('says what to do next on errors and exits non-zero', async () => {
    const missing = await p.cli(['apps:info', '-a', 'no-such-app']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Couldn't find that app/);
    const noApp = await p.cli(['config']);
    assert.equal(noApp.code, 1);
    assert.match(noApp.stderr, /Pass -a APP/);
    const badName = await p.cli(['apps:create', 'Bad_Name']);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /Invalid app name/);
    const unknown = await p.cli(['frobnicate']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /cupaas --help/);
    const badFlag = await p.cli(['apps', '--nope']);
    assert.equal(badFlag.code, 1);
    const down = await p.cli(['apps'], { env: { CUPAAS_API_URL: 'http://127.0.0.1:9' } });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /Cannot reach the cupaas API/);
  });

  it('has --help for the tool and every command', async () => {
    const overview = await ok(['--help']);
    for (const c of ['apps:create', 'config:set', 'releases', 'rollback', 'login']) assert.match(overview, new RegExp(c));
    const help = await ok(['config:set', '--help']);
    assert.match(help, /USAGE/);
    assert.match(help, /--app/);
  });

  it('never prints the API key outside auth:token', async () => {
    for (const args of [['apps'], ['auth:whoami'], ['apps:info', '-a', 'cli-app'], ['releases', '-a', 'cli-app']]) {
      const r = await p.cli(args);
      assert.ok(!r.stdout.includes(p.apiKey) && !r.stderr.includes(p.apiKey), args.join(' '));
    }
  });
});

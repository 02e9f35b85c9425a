import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App, Build, BuildStatus, Deployer, DeployRequest, LogLine, PlatformEvent } from '../domain/index.js';
import { createEventBus } from '../shared/events.js';
import { silentLogger } from '../shared/logger.js';
import { runChecked } from '../shared/process.js';
import { waitFor } from '../shared/wait.js';
import { openStore, type Store } from '../store/index.js';
import { createRepoSync, type RepoSync } from './index.js';

// Unit test of the sync logic with real git over file://, and a recording
// double of the Deployer port (the real pipeline is exercised in test/e2e).
const GIT_ENV = {
  ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com',
};
const git = async (cwd: string, ...args: string[]) => (await runChecked(['git', ...args], { cwd, env: GIT_ENV })).stdout.trim();

let root: string;
let store: Store;
let sync: RepoSync;
const deploys: DeployRequest[] = [];
const lines: Array<{ appId: string; line: LogLine }> = [];
const events = createEventBus<PlatformEvent>();

function finishedBuild(req: DeployRequest, status: BuildStatus, failureReason: string | null = null): Build {
  const t = new Date().toISOString();
  const sha = req.source.kind === 'git' ? req.source.sha : null;
  return {
    id: crypto.randomUUID(), appId: req.app.id, status, trigger: req.trigger, sourceUrl: null,
    sourceChecksum: null, sourceVersion: sha, commitMessage: null, commitAuthor: null, buildpacks: [], slugId: null,
    releaseId: null, userId: req.userId, failureReason, startedAt: t, finishedAt: t, createdAt: t, updatedAt: t,
  };
}

function recordingDeployer(): Deployer {
  return {
    async deploy(req) {
      deploys.push(req);
      return finishedBuild(req, 'succeeded');
    },
  };
}

/** A Deployer whose builds finish only when the test says so. */
function heldDeployer() {
  const held: Array<{ req: DeployRequest; finish: (status: BuildStatus, reason?: string) => void }> = [];
  const deployer: Deployer = {
    deploy: (req) => new Promise((resolve) => held.push({ req, finish: (status, reason) => resolve(finishedBuild(req, status, reason)) })),
  };
  return { deployer, held };
}

/** A repo sync on the shared store and home, as one server run would create it. */
const repoSync = (deployer: Deployer): RepoSync =>
  createRepoSync({
    store, deployer, events, logger: silentLogger, home: join(root, 'home'), hostPath: process.env.PATH ?? '',
    logs: { write: (appId, line) => lines.push({ appId, line }) },
  });

/** Delivers a signed GitHub push webhook for the app's branch. */
function deliverPush(sync: RepoSync, app: App) {
  const body = JSON.stringify({ ref: 'refs/heads/main', after: 'f'.repeat(40) });
  const secret = store.repos.get(app.id)?.webhookSecret ?? '';
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return sync.receiveWebhook(app, { 'x-github-event': 'push', 'x-hub-signature-256': signature }, Buffer.from(body));
}

/** A bare "remote" plus a work tree that commits and pushes to it. */
async function newRemote(name: string) {
  const bare = join(root, `${name}.git`);
  const work = join(root, `${name}-work`);
  await git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  await git(root, 'init', '--quiet', '--initial-branch=main', work);
  const commit = async (message: string, branch = 'main') => {
    await git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
    await git(work, 'push', '--quiet', '--force', bare, `HEAD:refs/heads/${branch}`);
    return git(work, 'rev-parse', 'HEAD');
  };
  return { bare, url: `file://${bare}`, commit };
}

let n = 0;
function newApp(): App {
  const owner = store.users.create(`u${++n}@example.com`, 'u');
  const t = new Date().toISOString();
  const app: App = { id: crypto.randomUUID(), name: `app-${n}`, ownerId: owner.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: t, updatedAt: t };
  store.apps.insert(app);
  return app;
}

const deploysOf = (app: App) => deploys.filter((d) => d.app.id === app.id);
const shaOf = (d: DeployRequest) => (d.source.kind === 'git' ? d.source.sha : '');

before(() => {
  root = mkdtempSync(join(tmpdir(), 'cupaas-repo-sync-'));
  store = openStore({ dbPath: join(root, 'home', 'state.db'), secretKeyPath: join(root, 'home', 'secret.key') });
  sync = repoSync(recordingDeployer());
  sync.start();
});
after(() => {
  sync.stop();
  store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('repo sync (file:// remote, recording deployer)', () => {
  it('connecting deploys the head from a mirror that holds the commit, message and author', async () => {
    const remote = await newRemote('r1');
    const sha = await remote.commit('first version');
    const app = newApp();
    const r = await sync.connect(app, { url: remote.url, branch: 'main', pollInterval: 0 }, app.ownerId);
    assert.deepEqual(r.deploy, { sha, deploy: 'started' });
    assert.ok(r.created);
    await waitFor(() => deploysOf(app).length === 1);
    const d = deploysOf(app)[0] as DeployRequest;
    assert.equal(d.trigger, 'manual');
    assert.equal(d.userId, app.ownerId);
    assert.equal(d.source.kind, 'git');
    const gitDir = (d.source as { gitDir: string }).gitDir;
    assert.equal(gitDir, join(root, 'home', 'mirrors', `${app.id}.git`));
    assert.equal(await git(root, '--git-dir', gitDir, 'log', '-1', '--format=%s|%an', sha), 'first version|Ada');
    assert.equal(store.repos.get(app.id)?.lastSeenSha, sha);
  });

  it('a signed GitHub push fetches and deploys the fetched head, not the payload sha; a bad signature triggers nothing', async () => {
    const remote = await newRemote('r2');
    await remote.commit('one');
    const app = newApp();
    const { connection } = await sync.connect(app, { url: remote.url, branch: 'main', pollInterval: 0 }, app.ownerId);
    await waitFor(() => deploysOf(app).length === 1);
    const head = await remote.commit('two');
    const body = JSON.stringify({ ref: 'refs/heads/main', after: 'f'.repeat(40) });
    const sig = (secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const bad = sync.receiveWebhook(app, { 'x-github-event': 'push', 'x-hub-signature-256': sig('nope') }, Buffer.from(body));
    assert.equal(bad.action, 'unauthorized');
    const good = sync.receiveWebhook(app, { 'x-github-event': 'push', 'x-hub-signature-256': sig(connection.webhookSecret) }, Buffer.from(body));
    assert.equal(good.action, 'sync');
    await waitFor(() => deploysOf(app).length === 2);
    assert.equal(shaOf(deploysOf(app)[1] as DeployRequest), head);
    assert.equal(deploysOf(app)[1]?.trigger, 'webhook');
    // The same head again (a redelivery) deploys nothing new.
    sync.receiveWebhook(app, { 'x-github-event': 'push', 'x-hub-signature-256': sig(connection.webhookSecret) }, Buffer.from(body));
    await waitFor(() => store.repos.get(app.id)?.lastCheckedAt ?? undefined);
    const manual = await sync.trigger(app, app.ownerId);
    assert.deepEqual(manual, { sha: head, deploy: 'started' });
    await waitFor(() => deploysOf(app).length === 3);
    assert.equal(deploysOf(app).filter((d) => d.trigger === 'webhook').length, 1);
  });

  it('polls, backs off with a visible error while the remote is gone, and recovers', async () => {
    const remote = await newRemote('r3');
    await remote.commit('one');
    const app = newApp();
    await sync.connect(app, { url: remote.url, branch: 'main', pollInterval: 1 }, app.ownerId);
    await waitFor(() => deploysOf(app).length === 1);
    const two = await remote.commit('two');
    await waitFor(() => deploysOf(app).length === 2, { timeoutMs: 5000 });
    assert.equal(shaOf(deploysOf(app)[1] as DeployRequest), two);
    assert.equal(deploysOf(app)[1]?.trigger, 'poll');

    renameSync(remote.bare, remote.bare + '.away');
    const error = await waitFor(() => store.repos.get(app.id)?.lastError ?? undefined, { timeoutMs: 5000 });
    assert.match(error, /git ls-remote failed/);
    assert.ok(lines.some((l) => l.appId === app.id && /Polling failed, retrying in \ds/.test(l.line.message)));
    renameSync(remote.bare + '.away', remote.bare);
    const three = await remote.commit('three');
    await waitFor(() => deploysOf(app).length === 3, { timeoutMs: 10_000 });
    assert.equal(shaOf(deploysOf(app)[2] as DeployRequest), three);
    assert.equal(store.repos.get(app.id)?.lastError, null);
    assert.ok(lines.some((l) => l.appId === app.id && /reachable again/.test(l.line.message)));
    await sync.disconnect(app);
    await waitFor(() => !existsSync(join(root, 'home', 'mirrors', `${app.id}.git`)));
  });

  it('keeps tokens out of errors and stores a generated deploy key encrypted, never on disk', async () => {
    const app = newApp();
    const token = 'ghp_SuperSecretToken123';
    const r = await sync.connect(
      app,
      { url: 'http://127.0.0.1:9/acme/app.git', branch: 'main', pollInterval: 0, credential: { type: 'token', token } },
      app.ownerId,
    );
    assert.ok('error' in r.deploy);
    assert.ok(!(r.deploy as { error: string }).error.includes(token));
    assert.ok(!(store.repos.get(app.id)?.lastError ?? '').includes(token));
    assert.ok(!lines.some((l) => l.line.message.includes(token)));

    const keyed = newApp();
    const k = await sync.connect(
      keyed,
      { url: 'ssh://git@127.0.0.1:9/acme/app.git', branch: 'main', pollInterval: 0, credential: { type: 'ssh-key', generate: true } },
      keyed.ownerId,
    );
    assert.match(k.connection.sshPublicKey ?? '', /^ssh-ed25519 \S+ cupaas-app-\d+$/);
    assert.ok('error' in k.deploy);
    assert.deepEqual(readdirSync(join(root, 'home', 'tmp', 'repo-sync')), []);
    assert.match(store.repos.get(keyed.id)?.credential ?? '', /OPENSSH PRIVATE KEY/);
  });

  it('deploys again after a restart a head whose deploy the stop cut short, once; a failed build counts as finished', async (t) => {
    const remote = await newRemote('r6');
    const one = await remote.commit('one');
    const app = newApp();
    const shaOfHeld = (h: { req: DeployRequest }) => shaOf(h.req);

    // First server run: the deploy of `one` is still building when the server stops.
    const first = heldDeployer();
    const run1 = repoSync(first.deployer);
    t.after(() => run1.stop());
    run1.start();
    await run1.connect(app, { url: remote.url, branch: 'main', pollInterval: 0 }, app.ownerId);
    await waitFor(() => first.held.length === 1);
    run1.stop();
    // What the deploy service answers for a build its shutdown aborted.
    first.held[0]?.finish('failed', 'The server is shutting down; deploy again once it is back.');
    await waitFor(() => run1.status(app.id).building === null);
    assert.equal(store.repos.get(app.id)?.lastSeenSha, one);
    assert.equal(store.repos.lastDeployedSha(app.id), null, 'a deploy cut short by the stop is not finished');

    // Second run: deploys `one` by itself; a webhook for the same head adds nothing. Its build fails.
    const second = heldDeployer();
    const run2 = repoSync(second.deployer);
    t.after(() => run2.stop());
    run2.start();
    await waitFor(() => second.held.length === 1);
    assert.equal(shaOfHeld(second.held[0] as { req: DeployRequest }), one);
    assert.equal(second.held[0]?.req.trigger, 'restart');
    const checked = store.repos.get(app.id)?.lastCheckedAt;
    assert.equal(deliverPush(run2, app).action, 'sync');
    await waitFor(() => store.repos.get(app.id)?.lastCheckedAt !== checked);
    assert.equal(second.held.length, 1, 'the webhook deployed the same sha twice');
    second.held[0]?.finish('failed', 'Build failed');
    await waitFor(() => store.repos.lastDeployedSha(app.id) === one);
    run2.stop();

    // Third run: the failed `one` is not retried; the next commit deploys.
    const third = heldDeployer();
    const run3 = repoSync(third.deployer);
    t.after(() => run3.stop());
    run3.start();
    const two = await remote.commit('two');
    deliverPush(run3, app);
    await waitFor(() => third.held.length === 1);
    third.held[0]?.finish('succeeded');
    await waitFor(() => store.repos.lastDeployedSha(app.id) === two);
    assert.deepEqual(third.held.map((h) => [shaOfHeld(h), h.req.trigger]), [[two, 'webhook']]);
  });

  it('rejects credentials that do not fit the URL', async () => {
    const app = newApp();
    await assert.rejects(
      sync.connect(app, { url: 'git@example.com:a/b.git', branch: 'main', credential: { type: 'token', token: 't' } }, app.ownerId),
      /token works with https/,
    );
    await assert.rejects(
      sync.connect(app, { url: 'https://example.com/a/b.git', branch: 'main', credential: { type: 'ssh-key', generate: true } }, app.ownerId),
      /deploy key works with ssh/,
    );
    await assert.rejects(sync.connect(app, { url: 'https://example.com/a.git', branch: '-x' }, app.ownerId), /Invalid branch/);
    assert.equal(store.repos.get(app.id), undefined);
  });
});

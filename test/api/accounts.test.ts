/**
 * Accounts, tokens and who may do what (issue 15), over real HTTP against a
 * real server: sign-in as Heroku's classic login, invitations, throttled
 * failures without enumeration, token expiry and revocation on the API, git
 * and log streams, git and logs by role, and the audit trail.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree } from '../support/push.js';
import { addUser, asToken, basic, login, type TestUser } from '../support/users.js';

const run = promisify(execFile);

let p: TestPlatform;
let dev: TestUser;
let viewer: TestUser;
let stranger: TestUser;

before(async () => {
  p = await startPlatform();
  dev = await addUser(p, 'dev@example.com');
  viewer = await addUser(p, 'viewer@example.com');
  stranger = await addUser(p, 'stranger@example.com');
  assert.equal((await p.api('POST', '/teams', { name: 'core' })).status, 201);
  assert.equal((await p.api('PUT', '/teams/core/members', { user: dev.email, role: 'member' })).status, 200);
  assert.equal((await p.api('PUT', '/teams/core/members', { user: viewer.email, role: 'viewer' })).status, 200);
  assert.equal((await p.api('POST', '/teams/core/apps', { name: 'core-web' })).status, 201);
});
after(() => p?.cleanup());

/** git against the platform; the URL carries the token as the Basic password (`gitUrl`), as ~/.netrc would give it. */
async function git(args: string[], cwd?: string): Promise<{ code: number; output: string }> {
  try {
    const r = await run('git', args, { cwd, env: p.clientEnv({ GIT_ASKPASS: '/bin/false' }) });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}
const gitUrl = (token: string, app: string) => {
  const u = new URL(`${p.apiUrl}/${app}.git`);
  u.username = 'cupaas';
  u.password = token;
  return u.toString();
};

describe('sign-in', () => {
  it('invites a user with a one-time code that sets the password; the password signs in for a token', async () => {
    const created = await p.api('POST', '/users', { email: 'Invited@Example.com' });
    assert.equal(created.status, 201);
    assert.equal(created.body.email, 'invited@example.com');
    assert.equal(created.body.password_set, false);
    const code = created.body.invitation_code as string;
    assert.ok(code.length >= 20);
    const accepted = await p.api('PATCH', `/invitations/${code}`, { password: 'correct horse battery' }, { Authorization: '' });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const again = await p.api('PATCH', `/invitations/${code}`, { password: 'another one please' }, { Authorization: '' });
    assert.equal(again.status, 401, 'a code works once');

    const signedIn = await login(p, 'invited@example.com', 'correct horse battery');
    assert.equal(signedIn.status, 201);
    const token = signedIn.body.access_token.token;
    assert.match(token, /^cpk_/);
    const me = await asToken(p, token)('GET', '/account');
    assert.equal(me.body.email, 'invited@example.com');
    assert.equal(me.body.role, 'member');
  });

  it('answers an unknown email, a wrong password and an account without one alike', async () => {
    await p.api('POST', '/users', { email: 'nopass@example.com' });
    const answers = await Promise.all([
      login(p, 'nobody@example.com', 'whatever-password'),
      login(p, dev.email, 'wrong-password'),
      login(p, 'nopass@example.com', 'whatever-password'),
    ]);
    for (const a of answers) assert.equal(a.status, 401);
    assert.deepEqual(answers.map((a) => a.body), answers.map(() => answers[0]!.body));
  });

  it('takes Basic EMAIL:PASSWORD only on the login route', async () => {
    const r = await p.api('GET', '/account', undefined, { Authorization: basic(dev.email, dev.password) });
    assert.equal(r.status, 401);
  });

  it('throttles failed sign-ins per account: even the right password waits, other accounts do not', async () => {
    const victim = await addUser(p, 'victim@example.com');
    for (let i = 0; i < 10; i++) assert.equal((await login(p, victim.email, `guess-${i}`)).status, 401);
    const locked = await login(p, victim.email, victim.password);
    assert.equal(locked.status, 429);
    assert.equal(locked.body.id, 'rate_limit');
    assert.equal((await login(p, 'NOBODY-locked@example.com', 'x')).status, 401, 'unknown accounts are throttled the same way');
    assert.equal((await login(p, dev.email, dev.password)).status, 201);
    assert.equal((await victim.api('GET', '/account')).status, 200, 'existing tokens keep working');
  });

  it('changes a password with the current one; an admin reset revokes every token and gives a new code', async () => {
    const u = await addUser(p, 'changer@example.com');
    const wrong = await u.api('PATCH', '/account', { password: 'new-password-1', current_password: 'nope' });
    assert.equal(wrong.status, 403);
    const ok = await u.api('PATCH', '/account', { password: 'new-password-1', current_password: u.password });
    assert.equal(ok.status, 200);
    assert.equal((await login(p, u.email, 'new-password-1')).status, 201);

    const reset = await p.api('PATCH', `/users/${u.email}`, { reset_password: true });
    assert.equal(reset.status, 200);
    assert.ok(reset.body.invitation_code);
    assert.equal((await u.api('GET', '/account')).status, 401, 'tokens die with the reset');
    const short = await p.api('PATCH', `/invitations/${reset.body.invitation_code}`, { password: 'short' }, { Authorization: '' });
    assert.equal(short.status, 422);
  });

  it('keeps accounts to platform admins', async () => {
    assert.equal((await dev.api('GET', '/users')).status, 403);
    assert.equal((await dev.api('POST', '/users', { email: 'x@example.com' })).status, 403);
    assert.equal((await p.api('GET', '/users')).body.length >= 4, true);
  });
});

describe('tokens', () => {
  it('creates with a description and expiry, lists without the secret, revokes at once on the API and git', async () => {
    const created = await dev.api('POST', '/oauth/authorizations', { description: 'ci', expires_in: 3600 });
    assert.equal(created.status, 201);
    const token = created.body.access_token.token as string;
    assert.ok(created.body.access_token.expires_in > 3500);
    const list = await dev.api('GET', '/oauth/authorizations');
    const listed = list.body.find((a: any) => a.id === created.body.id);
    assert.equal(listed.description, 'ci');
    assert.equal(listed.access_token.token, null, 'only the digest is stored');
    assert.equal((await asToken(p, token)('GET', '/apps')).status, 200);
    assert.equal((await git(['ls-remote', gitUrl(token, 'core-web')])).code, 0);

    assert.equal((await dev.api('DELETE', `/oauth/authorizations/${created.body.id}`)).status, 200);
    assert.equal((await asToken(p, token)('GET', '/apps')).status, 401);
    const refused = await git(['ls-remote', gitUrl(token, 'core-web')]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.output, /401|Authentication/);
    assert.equal((await viewer.api('DELETE', `/oauth/authorizations/${created.body.id}`)).status, 404, 'only your own');
  });

  it('refuses an expired token on the API and git', async () => {
    const created = await dev.api('POST', '/oauth/authorizations', { description: 'short', expires_in: 1 });
    const token = created.body.access_token.token as string;
    await waitFor(async () => (await asToken(p, token)('GET', '/account')).status === 401, { timeoutMs: 30_000, what: 'expiry' });
    assert.notEqual((await git(['ls-remote', gitUrl(token, 'core-web')])).code, 0);
  });

  it('ends a log stream when its token is revoked or expires, and refuses it afterwards', async () => {
    for (const expire of [false, true]) {
      const created = await viewer.api('POST', '/oauth/authorizations', { description: 'logs', expires_in: expire ? 3 : 3600 });
      const token = created.body.access_token.token as string;
      const s = await asToken(p, token)('POST', '/apps/core-web/log-sessions', { tail: true });
      assert.equal(s.status, 201, JSON.stringify(s.body));
      const res = await fetch(s.body.logplex_url);
      assert.equal(res.status, 200);
      const ended = res.text();
      if (!expire) await viewer.api('DELETE', `/oauth/authorizations/${created.body.id}`);
      await ended; // resolves only once the server ends the tail
      assert.equal((await fetch(s.body.logplex_url)).status, 404);
    }
  });
});

describe('git and logs by role', () => {
  it('lets a viewer fetch but not push, and a stranger neither (the app does not exist for them)', async () => {
    const v = await git(['ls-remote', gitUrl(viewer.token, 'core-web')]);
    assert.equal(v.code, 0, v.output);
    const tree = (await run('mktemp', ['-d'])).stdout.trim();
    try {
      await run('git', ['init', '-q', '-b', 'main', tree]);
      await run('git', ['-C', tree, '-c', 'user.name=v', '-c', 'user.email=v@example.com', 'commit', '-q', '--allow-empty', '-m', 'x']);
      const push = await git(['push', gitUrl(viewer.token, 'core-web'), 'HEAD:main'], tree);
      assert.notEqual(push.code, 0);
      assert.match(push.output, /403|need the member role/);
      const strangerPush = await git(['push', gitUrl(stranger.token, 'core-web'), 'HEAD:main'], tree);
      assert.notEqual(strangerPush.code, 0);
      assert.match(strangerPush.output, /404|not found|Couldn't find/i);
      assert.notEqual((await git(['ls-remote', gitUrl(stranger.token, 'core-web')])).code, 0);
    } finally {
      await run('rm', ['-rf', tree]);
    }
  });

  it('lets a viewer read logs and refuses a stranger as if the app did not exist', async () => {
    const v = await viewer.api('POST', '/apps/core-web/log-sessions', {});
    assert.equal(v.status, 201);
    assert.equal((await fetch(v.body.logplex_url)).status, 200);
    const s = await stranger.api('POST', '/apps/core-web/log-sessions', {});
    assert.equal(s.status, 404);
    const none = await stranger.api('POST', '/apps/no-such-app/log-sessions', {});
    assert.deepEqual({ ...s.body, message: s.body.message.replace('core-web', 'no-such-app') }, none.body);
  });

  it('stops a viewer\'s live tail once they lose access', async () => {
    const app = (await p.api('POST', '/apps', { name: 'solo-app' })).body.name;
    assert.equal((await p.api('POST', `/apps/${app}/collaborators`, { user: viewer.email, role: 'viewer' })).status, 201);
    const s = await viewer.api('POST', `/apps/${app}/log-sessions`, { tail: true });
    const res = await fetch(s.body.logplex_url);
    const ended = res.text();
    assert.equal((await p.api('DELETE', `/apps/${app}/collaborators/${viewer.email}`)).status, 200);
    await ended;
    assert.equal((await viewer.api('GET', `/apps/${app}`)).status, 404);
  });
});

describe('who may do what', () => {
  it('gives a developer her team\'s apps only, and a viewer read access that changes nothing', async () => {
    assert.deepEqual((await dev.api('GET', '/apps')).body.map((a: any) => a.name), ['core-web']);
    assert.equal((await dev.api('PATCH', '/apps/core-web/config-vars', { GREETING: 'hi' })).status, 200);
    assert.equal((await stranger.api('GET', '/apps')).body.length, 0);
    const denied = await viewer.api('PATCH', '/apps/core-web/config-vars', { GREETING: 'no' });
    assert.equal(denied.status, 403);
    assert.match(denied.body.message, /member role/);
    assert.equal((await viewer.api('GET', '/apps/core-web/config-vars')).status, 403, 'values are secrets: members only');
    assert.equal((await viewer.api('GET', '/apps/core-web/releases')).status, 200);
    assert.equal((await dev.api('DELETE', '/apps/core-web')).status, 403);
    const releases = await dev.api('GET', '/apps/core-web/releases');
    assert.equal(releases.body.at(-1).user.email, dev.email, 'releases show who made them');
  });

  it('shares a personal app through collaborators, who appear in its access list', async () => {
    const app = (await p.api('POST', '/apps', { name: 'shared-app' })).body.name;
    assert.equal((await dev.api('GET', `/apps/${app}`)).status, 404);
    const added = await p.api('POST', `/apps/${app}/collaborators`, { user: dev.email });
    assert.equal(added.status, 201);
    assert.equal(added.body.role, 'member');
    assert.equal((await dev.api('GET', `/apps/${app}`)).status, 200);
    assert.deepEqual((await dev.api('GET', `/apps/${app}/collaborators`)).body.map((c: any) => c.user.email), [dev.email]);
    assert.equal((await dev.api('POST', `/apps/${app}/collaborators`, { user: viewer.email })).status, 403, 'admins manage access');
  });
});

describe('audit trail', () => {
  it('records who, what, when and from where for each kind of change, never config values', async () => {
    await dev.api('PATCH', '/apps/core-web/config-vars', { SECRET_TOKEN: 'hunter2-value', GONE: null }, { 'X-Cupaas-Client': 'cli' });
    await dev.api('PATCH', '/apps/core-web/formation', { updates: [{ type: 'web', quantity: 0 }] }, { 'X-Cupaas-Client': 'dashboard' });
    await p.api('PUT', '/teams/core/members', { user: stranger.email, role: 'viewer' });
    await p.api('DELETE', `/teams/core/members/${stranger.email}`);
    await login(p, dev.email, 'not-her-password');
    const token = (await dev.api('POST', '/oauth/authorizations', { description: 'audit me' })).body;
    await dev.api('DELETE', `/oauth/authorizations/${token.id}`);
    // The developer deploys her team's app with git, as a member may.
    const tree = await appWorkTree(p, 'core-web', 'static-site');
    await tree.commit('site');
    const pushed = await tree.push('HEAD:main', gitUrl(dev.token, 'core-web'));
    assert.equal(pushed.code, 0, pushed.output);
    const released = await dev.api('GET', '/apps/core-web/releases');
    assert.equal(released.body.at(-1).user.email, dev.email);
    assert.match(released.body.at(-1).description, /Deploy/);

    const all = await p.api('GET', '/audit-events?limit=1000');
    assert.equal(all.status, 200);
    const find = (action: string, pred: (e: any) => boolean = () => true) => {
      const e = all.body.find((x: any) => x.action === action && pred(x));
      assert.ok(e, `no audit event ${action}`);
      return e;
    };
    const config = find('PATCH /apps/:app/config-vars', (e) => e.source === 'cli');
    assert.equal(config.user.email, dev.email);
    assert.equal(config.app.name, 'core-web');
    assert.equal(config.detail, 'set SECRET_TOKEN; unset GONE');
    assert.match(config.created_at, /^\d{4}-/);
    assert.ok(config.address);
    assert.ok(!JSON.stringify(all.body).includes('hunter2-value'), 'config values never appear');
    assert.equal(find('PATCH /apps/:app/formation').source, 'dashboard');
    assert.match(find('PUT /teams/:team/members').detail, /stranger@example.com as viewer/);
    assert.ok(find('DELETE /teams/:team/members/:member'));
    assert.ok(find('POST /users', (e) => /dev@example.com/.test(e.detail)));
    assert.ok(find('POST /teams'));
    assert.ok(find('POST /teams/:team/apps'));
    assert.ok(find('POST /apps/:app/collaborators'));
    assert.ok(find('POST /oauth/authorizations', (e) => e.status === 401 && e.user === null), 'failed sign-ins are recorded');
    assert.match(find('DELETE /oauth/authorizations/:id').detail, /audit me/);
    const push = find('POST /:app.git/git-receive-pack');
    assert.equal(push.source, 'git');
    assert.equal(push.user.email, dev.email);
    assert.equal(push.app.name, 'core-web');
    assert.equal(find('PATCH /apps/:app/config-vars', (e) => e.source === 'cli').status, 200);
    assert.ok(!all.body.some((e: any) => e.action.startsWith('GET ')), 'reads are not state changes');
  });

  it('shows each user only the events of apps they may read and their own; the app trail to its readers', async () => {
    const mine = await stranger.api('GET', '/audit-events');
    assert.ok(mine.body.every((e: any) => e.user?.email === stranger.email || e.app === null || e.app.name !== 'core-web'));
    assert.ok(!mine.body.some((e: any) => e.app?.name === 'core-web'));
    const appTrail = await viewer.api('GET', '/apps/core-web/audit-events');
    assert.equal(appTrail.status, 200);
    assert.ok(appTrail.body.length > 0 && appTrail.body.every((e: any) => e.app.name === 'core-web'));
    assert.equal((await stranger.api('GET', '/apps/core-web/audit-events')).status, 404);
  });
});

// Last: it leaves this client's address throttled.
describe('throttling per address', () => {
  it('answers 429 to bad tokens once an address has sent 50, while good tokens still pass', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 51; i++) statuses.push((await asToken(p, `cpk_guess-${i}`)('GET', '/account')).status);
    // Earlier tests in this file spent part of the bucket: 401s until it is empty, then 429s only.
    const first = statuses.indexOf(429);
    assert.ok(first > 0 && first <= 50, statuses.join(' '));
    assert.ok(statuses.slice(0, first).every((s) => s === 401) && statuses.slice(first).every((s) => s === 429), statuses.join(' '));
    assert.equal((await dev.api('GET', '/account')).status, 200);
  });

  it('then refuses sign-ins from that address for any account', async () => {
    // Passwords of many accounts from one address: the per-address bucket stops the sweep.
    let status = 0;
    for (let i = 0; i < 60 && status !== 429; i++) status = (await login(p, `sweep-${i}@example.com`, 'password')).status;
    assert.equal(status, 429);
    assert.equal((await login(p, dev.email, dev.password)).status, 429);
  });
});

/**
 * Users and access from the CLI (issue 15), on a home made by a cupaas from
 * before accounts existed: one admin with its local API key and an app. The
 * upgrade keeps the admin's access; the admin then sets a password, invites
 * a developer and a viewer, and the three share the platform.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS, openStore } from '../../src/store/index.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { tempDir } from '../support/temp.js';

const ADMIN_KEY = 'cpk_legacy-admin-key-from-before-accounts';
const APP_ID = '11111111-1111-4111-8111-111111111111';

/** A home as the single-admin cupaas left it: schema before migration 300, rows written as that code wrote them. */
function singleAdminHome(): string {
  const home = tempDir('cupaas-legacy-home');
  const paths = { dbPath: join(home, 'state.db'), secretKeyPath: join(home, 'secret.key') };
  const old = openStore({ ...paths, migrations: MIGRATIONS.filter((m) => m.id < 300) });
  const sealed = old.secrets.seal('{"LEGACY":"kept"}');
  old.close();
  const db = new Database(paths.dbPath);
  const t = new Date().toISOString();
  const adminId = '00000000-0000-4000-8000-0000000000ad';
  db.prepare('INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(adminId, 'admin@cupaas.local', 'admin', t, t);
  db.prepare('INSERT INTO api_keys (id, user_id, key_hash, description, created_at) VALUES (?, ?, ?, ?, ?)').run(
    '00000000-0000-4000-8000-0000000000ae', adminId, createHash('sha256').update(ADMIN_KEY).digest('hex'), 'created at first start', t,
  );
  db.prepare('INSERT INTO apps (id, name, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(APP_ID, 'legacy', adminId, t, t);
  db.prepare('INSERT INTO app_config (app_id, sealed) VALUES (?, ?)').run(APP_ID, sealed);
  db.prepare(
    `INSERT INTO releases (id, app_id, version, description, status, slug_id, config_sealed, user_id, created_at, updated_at)
     VALUES (?, ?, 1, 'Initial release', 'succeeded', NULL, ?, ?, ?, ?)`,
  ).run('22222222-2222-4222-8222-222222222222', APP_ID, sealed, adminId, t, t);
  db.close();
  writeFileSync(join(home, 'credentials.json'), JSON.stringify({ apiUrl: 'unused', email: 'admin@cupaas.local', apiKey: ADMIN_KEY }), { mode: 0o600 });
  return home;
}

let p: TestPlatform;
let home: string;
/** Separate $HOMEs: each person's ~/.netrc holds their own token. */
const homes = { dev: tempDir('cupaas-dev'), viewer: tempDir('cupaas-viewer') };

before(async () => {
  home = singleAdminHome();
  p = await startPlatform({ home });
});
after(async () => {
  await p?.cleanup();
});

async function cli(args: string[], opts: { input?: string; as?: keyof typeof homes } = {}) {
  const env: Record<string, string> = opts.as ? { HOME: homes[opts.as], CUPAAS_HOME: homes[opts.as] } : {};
  const r = await p.cli(args, { input: opts.input, env });
  return { ...r, out: r.stdout + r.stderr };
}
async function ok(args: string[], opts: { input?: string; as?: keyof typeof homes } = {}): Promise<string> {
  const r = await cli(args, opts);
  assert.equal(r.code, 0, `cupaas ${args.join(' ')}:\n${r.out}`);
  return r.stdout;
}

describe('an install from before accounts', () => {
  it('keeps its admin, key, app and config', async () => {
    assert.equal(p.apiKey, ADMIN_KEY);
    const me = await p.api('GET', '/account');
    assert.equal(me.status, 200);
    assert.equal(me.body.role, 'admin');
    assert.deepEqual((await p.api('GET', '/apps')).body.map((a: any) => a.name), ['legacy']);
    assert.deepEqual((await p.api('GET', '/apps/legacy/config-vars')).body, { LEGACY: 'kept' });
    assert.equal((await p.api('PATCH', '/apps/legacy/config-vars', { MORE: '1' })).status, 200);
  });

  it('lets the admin set a password with the local key and sign in with it', async () => {
    assert.match(await ok(['users:passwd', '--password-stdin'], { input: 'admin-password-1\n' }), /Password set for admin@cupaas.local/);
    assert.match(await ok(['login', '--email', 'admin@cupaas.local', '--password-stdin'], { input: 'admin-password-1\n' }), /Logged in as admin@cupaas.local/);
    const wrong = await cli(['login', '--email', 'admin@cupaas.local', '--password-stdin'], { input: 'nope-nope-nope\n' });
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.out, /Invalid credentials/);
    assert.equal((await p.api('GET', '/account')).status, 200, 'the local admin key keeps working');
  });
});

describe('three people share one cupaas', () => {
  it('invites a developer and a viewer who set their passwords with the code and log in', async () => {
    for (const [who, email] of [['dev', 'dev@example.com'], ['viewer', 'viewer@example.com']] as const) {
      const added = await ok(['users:add', email]);
      const code = /users:passwd --code (\S+)/.exec(added)?.[1];
      assert.ok(code, added);
      await ok(['users:passwd', '--code', code, '--password-stdin'], { input: `${who}-password-1\n`, as: who });
      assert.match(await ok(['login', '--email', email, '--password-stdin'], { input: `${who}-password-1\n`, as: who }), new RegExp(email));
      assert.match(await ok(['auth:whoami'], { as: who }), new RegExp(email));
    }
    const users = await ok(['users']);
    for (const e of ['admin@cupaas.local', 'dev@example.com', 'viewer@example.com']) assert.match(users, new RegExp(e));
    assert.notEqual((await cli(['users'], { as: 'dev' })).code, 0, 'only platform admins list users');
  });

  it('gives the developer her team\'s app and the viewer read access that changes nothing', async () => {
    await ok(['teams:create', 'core']);
    await ok(['members:add', 'dev@example.com', '--role', 'member', '-t', 'core']);
    await ok(['members:add', 'viewer@example.com', '--role', 'viewer', '-t', 'core']);
    assert.match(await ok(['members', '-t', 'core']), /viewer@example.com\s+viewer/);
    await ok(['apps:create', 'core-api', '--team', 'core', '--no-remote']);
    assert.match(await ok(['teams'], { as: 'dev' }), /core\s+member/);

    assert.match(await ok(['apps'], { as: 'dev' }), /core-api/);
    assert.doesNotMatch(await ok(['apps'], { as: 'dev' }), /legacy/);
    await ok(['config:set', 'FEATURE=on', '-a', 'core-api'], { as: 'dev' });
    const refused = await cli(['config:set', 'FEATURE=off', '-a', 'core-api'], { as: 'viewer' });
    assert.notEqual(refused.code, 0);
    assert.match(refused.out, /need the member role/);
    await ok(['releases', '-a', 'core-api'], { as: 'viewer' });
    const hidden = await cli(['releases', '-a', 'legacy'], { as: 'viewer' });
    assert.match(hidden.out, /Couldn't find that app: legacy/);
  });

  it('shares and unshares a personal app with access:add and access:remove', async () => {
    await ok(['access:add', 'viewer@example.com', '--role', 'viewer', '-a', 'legacy']);
    const list = await ok(['access', '-a', 'legacy']);
    assert.match(list, /admin@cupaas.local\s+owner/);
    assert.match(list, /viewer@example.com\s+viewer\s+collaborator/);
    await ok(['releases', '-a', 'legacy'], { as: 'viewer' });
    await ok(['access:remove', 'viewer@example.com', '-a', 'legacy']);
    assert.notEqual((await cli(['releases', '-a', 'legacy'], { as: 'viewer' })).code, 0);
  });

  it('creates, lists and revokes tokens', async () => {
    const created = await ok(['authorizations:create', '-d', 'ci deploys', '-e', '3600'], { as: 'dev' });
    const id = /ID:\s+(\S+)/.exec(created)?.[1];
    const token = /Token:\s+(cpk_\S+)/.exec(created)?.[1];
    assert.ok(id && token, created);
    assert.match(await ok(['authorizations'], { as: 'dev' }), /ci deploys/);
    assert.equal((await p.api('GET', '/account', undefined, { Authorization: `Bearer ${token}` })).status, 200);
    await ok(['authorizations:revoke', id], { as: 'dev' });
    assert.equal((await p.api('GET', '/account', undefined, { Authorization: `Bearer ${token}` })).status, 401);
  });

  it('shows each person\'s actions in the audit trail, from the CLI, without config values', async () => {
    const trail = await ok(['audit', '-a', 'core-api', '--json']);
    const events = JSON.parse(trail) as any[];
    const config = events.find((e) => e.action === 'PATCH /apps/:app/config-vars' && e.status === 200);
    assert.equal(config.user.email, 'dev@example.com');
    assert.equal(config.source, 'cli');
    assert.equal(config.detail, 'set FEATURE');
    const denied = events.find((e) => e.action === 'PATCH /apps/:app/config-vars' && e.status === 403);
    assert.equal(denied.user.email, 'viewer@example.com', 'refused attempts are on the record too');
    assert.ok(events.some((e) => e.action === 'POST /teams/:team/apps' && e.user.email === 'admin@cupaas.local'));
    assert.ok(!trail.includes('"on"') && !trail.includes('FEATURE=on'), 'values never appear');
    const table = await ok(['audit']);
    assert.match(table, /dev@example.com/);
    assert.match(table, /DELETE \/oauth\/authorizations\/:id/);
  });
});

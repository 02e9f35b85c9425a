import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MIGRATIONS, openStore } from './index.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempHome(): { dbPath: string; secretKeyPath: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-store-'));
  dirs.push(dir);
  return { dir, dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') };
}

describe('store', () => {
  it('migrates a database created by the first schema without losing data', () => {
    const paths = tempHome();
    const old = openStore({ ...paths, migrations: MIGRATIONS.filter((m) => m.id === 1) });
    // Write through raw SQL as the old code would have: the new store's statements need new columns.
    const db = new Database(paths.dbPath);
    const t = new Date().toISOString();
    const user = { id: '00000000-0000-4000-8000-0000000000aa' };
    db.prepare('INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(user.id, 'old@example.com', 'old', t, t);
    db.prepare('INSERT INTO apps (id, name, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
      '11111111-1111-4111-8111-111111111111', 'legacy', user.id, t, t,
    );
    db.prepare(
      `INSERT INTO releases (id, app_id, version, description, status, slug_id, config_sealed, user_id, created_at, updated_at)
       VALUES (?, ?, 1, 'Initial release', 'succeeded', NULL, ?, ?, ?, ?)`,
    ).run('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111', old.secrets.seal('{"K":"v"}'), user.id, t, t);
    db.close();
    old.close();

    const store = openStore(paths);
    const app = store.apps.find('legacy');
    assert.ok(app);
    assert.equal(app.deployBranch, 'main');
    const release = store.releases.get(app.id, 1);
    assert.deepEqual(release?.config, { K: 'v' });
    assert.deepEqual(release?.services, []);
    assert.equal(store.users.findByApiKey('nope'), undefined);
    const applied = new Database(paths.dbPath).prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[];
    assert.deepEqual(applied.map((r) => r.id), MIGRATIONS.map((m) => m.id).sort((a, b) => a - b));
    store.close();
  });

  it('refuses a database from a newer cupaas', () => {
    const paths = tempHome();
    openStore(paths).close();
    const db = new Database(paths.dbPath);
    db.prepare("INSERT INTO schema_migrations (id, name, applied_at) VALUES (9999, 'future', 'x')").run();
    db.close();
    assert.throws(() => openStore(paths), /migrations 9999 that this version of cupaas does not know/);
  });

  it('keeps config vars encrypted at rest with a key outside the database', () => {
    const paths = tempHome();
    const store = openStore(paths);
    const user = store.users.create('a@example.com', 'a');
    const t = new Date().toISOString();
    store.apps.insert({ id: '33333333-3333-4333-8333-333333333333', name: 'enc', ownerId: user.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: t, updatedAt: t });
    store.releases.putConfig('33333333-3333-4333-8333-333333333333', { SECRET_TOKEN: 'hunter2-very-secret' });
    store.close();
    for (const f of readdirSync(paths.dir).filter((f) => f.startsWith('state.db'))) {
      assert.ok(!readFileSync(join(paths.dir, f)).includes('hunter2-very-secret'), `${f} holds the plaintext`);
    }
    assert.match(readFileSync(paths.secretKeyPath, 'utf8'), /^[A-Za-z0-9+/=]{44}\n$/);
  });
});

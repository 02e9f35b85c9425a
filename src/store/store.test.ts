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

  it('seals drain URLs at rest (also rows from before), shows them redacted, and drops them with their app', () => {
    const paths = tempHome();
    const old = openStore({ ...paths, migrations: MIGRATIONS.filter((m) => m.id < 120) });
    old.close();
    const t = new Date().toISOString();
    const appId = '44444444-4444-4444-8444-444444444444';
    const userId = '33333333-3333-4333-8333-333333333333';
    // Rows as a home of that age holds them (today's store code writes columns later migrations add).
    const db = new Database(paths.dbPath);
    db.prepare('INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(userId, 'd@example.com', 'd', t, t);
    db.prepare('INSERT INTO apps (id, name, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(appId, 'drained', userId, t, t);
    db.prepare('INSERT INTO log_drains (id, app_id, url, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      '55555555-5555-4555-8555-555555555555', appId, 'https://old:legacy-drain-pw@logs.example.com/a', 'd.old', t, t,
    );
    db.close();

    const store = openStore(paths);
    store.drains.insert({ id: '66666666-6666-4666-8666-666666666666', appId, url: 'https://new:fresh-drain-pw@logs.example.com/b', token: 'd.new', createdAt: t, updatedAt: t });
    assert.deepEqual(store.drains.list(appId).map((d) => d.url), ['https://old:legacy-drain-pw@logs.example.com/a', 'https://new:fresh-drain-pw@logs.example.com/b']);
    assert.equal(store.drains.find(appId, 'https://***:***@logs.example.com/b')?.token, 'd.new');
    assert.equal(store.drains.find(appId, 'https://new:fresh-drain-pw@logs.example.com/b')?.token, 'd.new');
    store.close();
    // secure_delete: the legacy row's old text does not linger in a free page.
    for (const f of readdirSync(paths.dir).filter((f) => f.startsWith('state.db'))) {
      const bytes = readFileSync(join(paths.dir, f));
      assert.ok(!bytes.includes('fresh-drain-pw') && !bytes.includes('legacy-drain-pw'), `${f} holds a drain credential`);
    }

    const again = openStore(paths);
    again.apps.delete(appId);
    assert.deepEqual(again.drains.listAll(), []);
    again.close();
  });
  it("turns the bare image ids 601 wrote into process image records (620), which retention's lookup finds", () => {
    const paths = tempHome();
    const old = openStore({ ...paths, migrations: MIGRATIONS.filter((m) => m.id < 620) });
    old.close();
    const t = new Date().toISOString();
    const db = new Database(paths.dbPath);
    db.prepare('INSERT INTO users (id, email, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run('u1', 'p@example.com', 'p', t, t);
    db.prepare('INSERT INTO apps (id, name, owner_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run('a1', 'typed', 'u1', t, t);
    db.prepare(
      `INSERT INTO slugs (id, app_id, checksum, size, process_types, stack, image_id, process_images, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run('s1', 'a1', 'sha256:web', 0, '{"web":"","worker":""}', 'container', 'sha256:web', '{"worker":"sha256:worker"}', t);
    db.close();
    const store = openStore(paths);
    assert.deepEqual(store.slugs.get('s1')?.processImages, { worker: { imageId: 'sha256:worker' } });
    assert.equal(store.slugs.imageInUse('sha256:worker'), true);
    assert.equal(store.slugs.imageInUse('sha256:other'), false);
    store.close();
  });
});

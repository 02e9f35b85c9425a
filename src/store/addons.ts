import type { Addon, AddonBackup, ConfigVars } from '../domain/index.js';
import { isUuid } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import type { SecretBox } from './secret-box.js';
import { str, strOrNull, type Db, type Row } from './sql.js';

/** Add-ons and their backups; credentials are encrypted at rest. */
export function createAddonStore(db: Db, box: SecretBox) {
  const toAddon = (r: Row): Addon => ({
    id: str(r.id),
    appId: str(r.app_id),
    name: str(r.name),
    service: str(r.service),
    plan: str(r.plan),
    attachmentName: str(r.attachment_name),
    state: r.state as Addon['state'],
    providerId: strOrNull(r.provider_id),
    config: JSON.parse(box.open(r.config_sealed as Buffer)) as ConfigVars,
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  });
  const toBackup = (r: Row): AddonBackup => ({
    id: str(r.id),
    addonId: str(r.addon_id),
    path: str(r.path),
    size: r.size as number,
    createdAt: str(r.created_at),
  });

  return {
    insert(a: Addon): void {
      db.prepare(
        `INSERT INTO addons (id, app_id, name, service, plan, attachment_name, state, provider_id, config_sealed,
           created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        a.id, a.appId, a.name, a.service, a.plan, a.attachmentName, a.state, a.providerId,
        box.seal(JSON.stringify(a.config)), a.createdAt, a.updatedAt,
      );
    },
    update(id: string, patch: Partial<Pick<Addon, 'name' | 'plan' | 'state' | 'providerId' | 'config'>>): Addon {
      const cur = toAddon(db.prepare('SELECT * FROM addons WHERE id = ?').get(id) as Row);
      const next = { ...cur, ...patch, updatedAt: isoTime() };
      db.prepare(
        `UPDATE addons SET name = ?, plan = ?, state = ?, provider_id = ?, config_sealed = ?, updated_at = ?
         WHERE id = ?`,
      ).run(next.name, next.plan, next.state, next.providerId, box.seal(JSON.stringify(next.config)), next.updatedAt, id);
      return next;
    },
    list(appId: string): Addon[] {
      return (db.prepare('SELECT * FROM addons WHERE app_id = ? ORDER BY created_at').all(appId) as Row[]).map(toAddon);
    },
    listAll(): Addon[] {
      return (db.prepare('SELECT * FROM addons ORDER BY created_at').all() as Row[]).map(toAddon);
    },
    find(appId: string, idOrName: string): Addon | undefined {
      const r = db
        .prepare(`SELECT * FROM addons WHERE app_id = ? AND (${isUuid(idOrName) ? 'id' : 'name'} = ? OR attachment_name = ?)`)
        .get(appId, idOrName, idOrName) as Row | undefined;
      return r && toAddon(r);
    },
    nameTaken(name: string): boolean {
      return db.prepare('SELECT 1 FROM addons WHERE name = ?').get(name) !== undefined;
    },
    delete(id: string): void {
      db.prepare('DELETE FROM addons WHERE id = ?').run(id);
    },
    insertBackup(b: AddonBackup): void {
      db.prepare('INSERT INTO addon_backups (id, addon_id, path, size, created_at) VALUES (?, ?, ?, ?, ?)').run(
        b.id, b.addonId, b.path, b.size, b.createdAt,
      );
    },
    listBackups(addonId: string): AddonBackup[] {
      return (
        db.prepare('SELECT * FROM addon_backups WHERE addon_id = ? ORDER BY created_at').all(addonId) as Row[]
      ).map(toBackup);
    },
    getBackup(id: string): AddonBackup | undefined {
      const r = db.prepare('SELECT * FROM addon_backups WHERE id = ?').get(id) as Row | undefined;
      return r && toBackup(r);
    },
  };
}

export type AddonStore = ReturnType<typeof createAddonStore>;

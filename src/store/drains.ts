import type { LogDrain } from '../domain/index.js';
import { isUuid } from '../shared/ids.js';
import { redactUrl } from '../shared/redact-url.js';
import type { SecretBox } from './secret-box.js';
import { str, type Db, type Row } from './sql.js';

/**
 * Log drains. The URL (it may hold credentials) is sealed at rest; the `url`
 * column keeps only the redacted form. Rows go with their app (ON DELETE CASCADE).
 */
export function createDrainStore(db: Db, box: SecretBox) {
  const toDrain = (r: Row): LogDrain => ({
    id: str(r.id),
    appId: str(r.app_id),
    url: box.open(r.url_sealed as Buffer),
    token: str(r.token),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  });

  const list = (appId: string): LogDrain[] =>
    (db.prepare('SELECT * FROM log_drains WHERE app_id = ? ORDER BY created_at').all(appId) as Row[]).map(toDrain);

  return {
    insert(d: LogDrain): void {
      db.prepare(
        'INSERT INTO log_drains (id, app_id, url, url_sealed, token, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(d.id, d.appId, redactUrl(d.url), box.seal(d.url), d.token, d.createdAt, d.updatedAt);
    },
    list,
    listAll(): LogDrain[] {
      return (db.prepare('SELECT * FROM log_drains').all() as Row[]).map(toDrain);
    },
    /** By id, by full URL, or by the redacted URL the API shows. */
    find(appId: string, idOrUrl: string): LogDrain | undefined {
      if (isUuid(idOrUrl)) return list(appId).find((d) => d.id === idOrUrl);
      return list(appId).find((d) => d.url === idOrUrl) ?? list(appId).find((d) => redactUrl(d.url) === idOrUrl);
    },
    delete(id: string): void {
      db.prepare('DELETE FROM log_drains WHERE id = ?').run(id);
    },
  };
}

/** Seals the URLs of rows written before migration 120, leaving only their redacted form in the clear. */
export function sealLegacyDrainUrls(db: Db, box: SecretBox): void {
  const legacy = db.prepare('SELECT id, url FROM log_drains WHERE url_sealed IS NULL').all() as Row[];
  const seal = db.prepare('UPDATE log_drains SET url = ?, url_sealed = ? WHERE id = ?');
  for (const r of legacy) seal.run(redactUrl(str(r.url)), box.seal(str(r.url)), str(r.id));
}

export type DrainStore = ReturnType<typeof createDrainStore>;

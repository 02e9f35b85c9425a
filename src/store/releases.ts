import type { ConfigVars, Release, ReleaseStatus } from '../domain/index.js';
import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import type { SecretBox } from './secret-box.js';
import { json, str, strOrNull, type Db, type Row } from './sql.js';

export interface NewRelease {
  appId: string;
  description: string;
  status: ReleaseStatus;
  slugId: string | null;
  config: ConfigVars;
  services: readonly string[];
  userId: string | null;
}

/**
 * Releases (append-only history) and each app's current config vars, both
 * encrypted at rest. Versions are allocated inside the caller's transaction.
 */
export function createReleaseStore(db: Db, box: SecretBox) {
  const toRelease = (r: Row): Release => ({
    id: str(r.id),
    appId: str(r.app_id),
    version: r.version as number,
    description: str(r.description),
    status: r.status as ReleaseStatus,
    statusReason: strOrNull(r.status_reason),
    slugId: strOrNull(r.slug_id),
    config: JSON.parse(box.open(r.config_sealed as Buffer)) as ConfigVars,
    services: json<string[]>(r.services),
    userId: strOrNull(r.user_id),
    imageDigest: strOrNull(r.image_digest),
    ...(r.process_image_digests ? { processImageDigests: json<Record<string, string>>(r.process_image_digests) } : {}),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  });

  return {
    getConfig(appId: string): ConfigVars {
      const r = db.prepare('SELECT sealed FROM app_config WHERE app_id = ?').get(appId) as Row | undefined;
      return r ? (JSON.parse(box.open(r.sealed as Buffer)) as ConfigVars) : {};
    },
    putConfig(appId: string, config: ConfigVars): void {
      db.prepare(
        `INSERT INTO app_config (app_id, sealed) VALUES (?, ?)
         ON CONFLICT(app_id) DO UPDATE SET sealed = excluded.sealed`,
      ).run(appId, box.seal(JSON.stringify(config)));
    },
    insert(n: NewRelease): Release {
      const { v } = db
        .prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM releases WHERE app_id = ?')
        .get(n.appId) as { v: number };
      const t = isoTime();
      const release: Release = { ...n, id: newId(), version: v, statusReason: null, imageDigest: null, createdAt: t, updatedAt: t };
      db.prepare(
        `INSERT INTO releases (id, app_id, version, description, status, status_reason, slug_id, config_sealed,
           services, user_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
      ).run(
        release.id, n.appId, v, n.description, n.status, n.slugId, box.seal(JSON.stringify(n.config)),
        JSON.stringify(n.services), n.userId, t, t,
      );
      return release;
    },
    list(appId: string): Release[] {
      return (db.prepare('SELECT * FROM releases WHERE app_id = ? ORDER BY version').all(appId) as Row[]).map(
        toRelease,
      );
    },
    get(appId: string, idOrVersion: string | number): Release | undefined {
      const byVersion = typeof idOrVersion === 'number' || /^v?\d+$/.test(idOrVersion);
      const r = byVersion
        ? db
            .prepare('SELECT * FROM releases WHERE app_id = ? AND version = ?')
            .get(appId, Number(String(idOrVersion).replace(/^v/, '')))
        : db.prepare('SELECT * FROM releases WHERE app_id = ? AND id = ?').get(appId, idOrVersion);
      return r ? toRelease(r as Row) : undefined;
    },
    /** The newest release that has not failed: what the app should be running. */
    current(appId: string): Release | undefined {
      const r = db
        .prepare(`SELECT * FROM releases WHERE app_id = ? AND status != 'failed' ORDER BY version DESC LIMIT 1`)
        .get(appId) as Row | undefined;
      return r && toRelease(r);
    },
    setStatus(id: string, status: ReleaseStatus, reason: string | null = null): void {
      db.prepare('UPDATE releases SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?').run(
        status, reason, isoTime(), id,
      );
    },
    /** Records the manifest digests the registry reported for the release's pushed image (and its process types' own). */
    setImageDigest(id: string, digest: string, perType: Readonly<Record<string, string>> = {}): void {
      db.prepare('UPDATE releases SET image_digest = ?, process_image_digests = ? WHERE id = ?').run(
        digest, Object.keys(perType).length ? JSON.stringify(perType) : null, id,
      );
    },
    /** Slug ids any kept release refers to; such slugs must never be deleted. */
    referencedSlugIds(appId: string): Set<string> {
      const rows = db
        .prepare('SELECT DISTINCT slug_id FROM releases WHERE app_id = ? AND slug_id IS NOT NULL')
        .all(appId) as { slug_id: string }[];
      return new Set(rows.map((r) => r.slug_id));
    },
  };
}

export type ReleaseStore = ReturnType<typeof createReleaseStore>;

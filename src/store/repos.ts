import type { RepoConnection } from '../domain/index.js';
import { isoTime } from '../shared/time.js';
import type { SecretBox } from './secret-box.js';
import { str, strOrNull, type Db, type Row } from './sql.js';

/** Connected repositories; credentials and webhook secrets are encrypted at rest. */
export function createRepoStore(db: Db, box: SecretBox) {
  const toRepo = (r: Row): RepoConnection => ({
    appId: str(r.app_id),
    url: str(r.url),
    branch: str(r.branch),
    pollInterval: r.poll_interval as number,
    credential: r.credential_sealed ? box.open(r.credential_sealed as Buffer) : null,
    sshPublicKey: strOrNull(r.ssh_public_key),
    webhookSecret: box.open(r.webhook_secret_sealed as Buffer),
    lastSeenSha: strOrNull(r.last_seen_sha),
    lastError: strOrNull(r.last_error),
    lastCheckedAt: strOrNull(r.last_checked_at),
    createdAt: str(r.created_at),
    updatedAt: str(r.updated_at),
  });

  return {
    put(c: RepoConnection): void {
      db.prepare(
        `INSERT INTO repo_connections (app_id, url, branch, poll_interval, credential_sealed, ssh_public_key,
           webhook_secret_sealed, last_seen_sha, last_error, last_checked_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(app_id) DO UPDATE SET url = excluded.url, branch = excluded.branch,
           poll_interval = excluded.poll_interval, credential_sealed = excluded.credential_sealed,
           ssh_public_key = excluded.ssh_public_key, webhook_secret_sealed = excluded.webhook_secret_sealed,
           last_seen_sha = excluded.last_seen_sha, last_error = excluded.last_error,
           last_checked_at = excluded.last_checked_at, updated_at = excluded.updated_at`,
      ).run(
        c.appId, c.url, c.branch, c.pollInterval, c.credential === null ? null : box.seal(c.credential),
        c.sshPublicKey, box.seal(c.webhookSecret), c.lastSeenSha, c.lastError, c.lastCheckedAt, c.createdAt,
        c.updatedAt,
      );
    },
    get(appId: string): RepoConnection | undefined {
      const r = db.prepare('SELECT * FROM repo_connections WHERE app_id = ?').get(appId) as Row | undefined;
      return r && toRepo(r);
    },
    listAll(): RepoConnection[] {
      return (db.prepare('SELECT * FROM repo_connections').all() as Row[]).map(toRepo);
    },
    recordCheck(appId: string, result: { sha?: string; error: string | null }): void {
      const t = isoTime();
      db.prepare(
        `UPDATE repo_connections SET last_seen_sha = COALESCE(?, last_seen_sha), last_error = ?,
           last_checked_at = ?, updated_at = ? WHERE app_id = ?`,
      ).run(result.sha ?? null, result.error, t, t, appId);
    },
    /** Notes the sha whose deploy finished (succeeded or failed), apart from the last sha seen. */
    recordDeployed(appId: string, sha: string): void {
      db.prepare('UPDATE repo_connections SET last_deployed_sha = ? WHERE app_id = ?').run(sha, appId);
    },
    /** The sha of the last finished deploy; null before the first, or for an app not connected. */
    lastDeployedSha(appId: string): string | null {
      const r = db.prepare('SELECT last_deployed_sha FROM repo_connections WHERE app_id = ?').get(appId) as Row | undefined;
      return strOrNull(r?.last_deployed_sha);
    },
    delete(appId: string): void {
      db.prepare('DELETE FROM repo_connections WHERE app_id = ?').run(appId);
    },
  };
}

export type RepoStore = ReturnType<typeof createRepoStore>;

import type { Build } from '../domain/index.js';
import { isoTime } from '../shared/time.js';
import { json, str, strOrNull, type Db, type Row } from './sql.js';

const toBuild = (r: Row): Build => ({
  id: str(r.id),
  appId: str(r.app_id),
  status: r.status as Build['status'],
  trigger: r.trigger as Build['trigger'],
  sourceUrl: strOrNull(r.source_url),
  sourceChecksum: strOrNull(r.source_checksum),
  sourceVersion: strOrNull(r.source_version),
  commitMessage: strOrNull(r.commit_message),
  commitAuthor: strOrNull(r.commit_author),
  buildpacks: json<string[]>(r.buildpacks),
  slugId: strOrNull(r.slug_id),
  releaseId: strOrNull(r.release_id),
  userId: strOrNull(r.user_id),
  failureReason: strOrNull(r.failure_reason),
  startedAt: strOrNull(r.started_at),
  finishedAt: strOrNull(r.finished_at),
  createdAt: str(r.created_at),
  updatedAt: str(r.updated_at),
});

const COLUMNS: Record<keyof Omit<Build, 'id' | 'appId' | 'createdAt'>, string> = {
  status: 'status',
  trigger: 'trigger',
  sourceUrl: 'source_url',
  sourceChecksum: 'source_checksum',
  sourceVersion: 'source_version',
  commitMessage: 'commit_message',
  commitAuthor: 'commit_author',
  buildpacks: 'buildpacks',
  slugId: 'slug_id',
  releaseId: 'release_id',
  userId: 'user_id',
  failureReason: 'failure_reason',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  updatedAt: 'updated_at',
};

const toParams = (b: Partial<Build>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, col] of Object.entries(COLUMNS)) {
    if (!(k in b)) continue;
    const v = b[k as keyof Build];
    out[col] = k === 'buildpacks' ? JSON.stringify(v) : v;
  }
  return out;
};

export function createBuildStore(db: Db) {
  return {
    insert(b: Build): void {
      const params = { ...toParams(b), id: b.id, app_id: b.appId, created_at: b.createdAt };
      const cols = Object.keys(params);
      db.prepare(`INSERT INTO builds (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(
        params,
      );
    },
    update(id: string, patch: Partial<Omit<Build, 'id' | 'appId' | 'createdAt'>>): Build {
      const params = toParams({ ...patch, updatedAt: isoTime() });
      const sets = Object.keys(params).map((c) => `${c} = @${c}`);
      db.prepare(`UPDATE builds SET ${sets.join(', ')} WHERE id = @id`).run({ ...params, id });
      return toBuild(db.prepare('SELECT * FROM builds WHERE id = ?').get(id) as Row);
    },
    get(appId: string, id: string): Build | undefined {
      const r = db.prepare('SELECT * FROM builds WHERE app_id = ? AND id = ?').get(appId, id) as Row | undefined;
      return r && toBuild(r);
    },
    list(appId: string): Build[] {
      return (db.prepare('SELECT * FROM builds WHERE app_id = ? ORDER BY created_at').all(appId) as Row[]).map(
        toBuild,
      );
    },
    /** Builds left pending by a crash; the server marks them failed at start. */
    listPending(): Build[] {
      return (db.prepare(`SELECT * FROM builds WHERE status = 'pending'`).all() as Row[]).map(toBuild);
    },
  };
}

export type BuildStore = ReturnType<typeof createBuildStore>;

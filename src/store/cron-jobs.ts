import { newId } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import { str, strOrNull, type Db, type Row } from './sql.js';

export type CronJobSource = 'api' | 'manifest';

export interface CronJob {
  id: string;
  appId: string;
  /** Standard cron syntax, UTC. */
  schedule: string;
  command: string;
  size: string;
  source: CronJobSource;
  /** The schedule time of the last run started, or null. */
  lastRunAt: string | null;
  createdAt: string;
}

export interface NewCronJob {
  schedule: string;
  command: string;
  size: string;
}

const toJob = (r: Row): CronJob => ({
  id: str(r.id), appId: str(r.app_id), schedule: str(r.schedule), command: str(r.command), size: str(r.size),
  source: str(r.source) as CronJobSource, lastRunAt: strOrNull(r.last_run_at), createdAt: str(r.created_at),
});

/** Apps' scheduled jobs and when each last ran. */
export function createCronJobStore(db: Db) {
  const insert = (appId: string, j: NewCronJob, source: CronJobSource): CronJob => {
    const job: CronJob = { id: newId(), appId, ...j, source, lastRunAt: null, createdAt: isoTime() };
    db.prepare(
      'INSERT INTO cron_jobs (id, app_id, schedule, command, size, source, last_run_at, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)',
    ).run(job.id, appId, j.schedule, j.command, j.size, source, job.createdAt);
    return job;
  };
  return {
    add: (appId: string, j: NewCronJob): CronJob => insert(appId, j, 'api'),
    list(appId: string): CronJob[] {
      return (db.prepare('SELECT * FROM cron_jobs WHERE app_id = ? ORDER BY created_at, id').all(appId) as Row[]).map(toJob);
    },
    listAll(): CronJob[] {
      return (db.prepare('SELECT * FROM cron_jobs ORDER BY created_at, id').all() as Row[]).map(toJob);
    },
    remove(appId: string, id: string): boolean {
      return db.prepare('DELETE FROM cron_jobs WHERE app_id = ? AND id = ?').run(appId, id).changes > 0;
    },
    /** Replaces the app's manifest-declared jobs; an unchanged entry keeps its last run. */
    replaceManifestJobs(appId: string, jobs: readonly NewCronJob[]): void {
      const key = (j: NewCronJob) => `${j.schedule}\n${j.command}\n${j.size}`;
      const keep = new Set(jobs.map(key));
      const current = (db.prepare(`SELECT * FROM cron_jobs WHERE app_id = ? AND source = 'manifest'`).all(appId) as Row[]).map(toJob);
      db.transaction(() => {
        for (const j of current) if (!keep.has(key(j))) db.prepare('DELETE FROM cron_jobs WHERE id = ?').run(j.id);
        const have = new Set(current.map(key));
        for (const j of jobs) if (!have.has(key(j))) insert(appId, j, 'manifest');
      })();
    },
    setLastRun(id: string, at: string): void {
      db.prepare('UPDATE cron_jobs SET last_run_at = ? WHERE id = ?').run(at, id);
    },
  };
}

export type CronJobStore = ReturnType<typeof createCronJobStore>;

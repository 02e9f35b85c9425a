import type { Migration } from './migration.js';

/**
 * Scheduled jobs per app. `source` is `api` (cron:add) or `manifest` (`.cupaas`
 * `cron:`, replaced on each deploy). `last_run_at` is the schedule time last
 * started, written before the run, so a restart never runs the same time twice.
 */
export const cronJobs: Migration = {
  id: 400,
  name: 'cron-jobs',
  up: `
    CREATE TABLE cron_jobs (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      schedule TEXT NOT NULL,
      command TEXT NOT NULL,
      size TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('api', 'manifest')),
      last_run_at TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX cron_jobs_app ON cron_jobs (app_id);
  `,
};

import type { Migration } from './migration.js';

/**
 * Per-minute metrics of each app's process types (kept 24 h, pruned as new
 * minutes land) and the autoscaling policy of a process type.
 */
export const metricsAndAutoscaling: Migration = {
  id: 500,
  name: 'metrics-and-autoscaling',
  up: `
    CREATE TABLE metric_minutes (
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      process_type TEXT NOT NULL,
      minute INTEGER NOT NULL,
      data TEXT NOT NULL,
      PRIMARY KEY (app_id, process_type, minute)
    );
    CREATE INDEX metric_minutes_minute ON metric_minutes (minute);
    CREATE TABLE autoscaling (
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      process_type TEXT NOT NULL,
      enabled INTEGER NOT NULL,
      min_quantity INTEGER NOT NULL,
      max_quantity INTEGER NOT NULL,
      p95_target_ms INTEGER NOT NULL,
      last_scaled_at TEXT,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (app_id, process_type)
    );
  `,
};

import type { Migration } from './migration.js';

/**
 * Restart requests as desired state: every dyno of the target that started
 * before `requested_at` is replaced. `target` is '' (all), a process type, or
 * a dyno name (`web.1`).
 */
export const dynoRestarts: Migration = {
  id: 20,
  name: 'dyno-restarts',
  up: `
    CREATE TABLE dyno_restarts (
      app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
      target TEXT NOT NULL,
      requested_at TEXT NOT NULL,
      PRIMARY KEY (app_id, target)
    );
  `,
};

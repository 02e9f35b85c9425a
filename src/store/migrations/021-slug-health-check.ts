import type { Migration } from './migration.js';

/** The web dynos' HTTP health-check path a build found in `.cupaas` or app.json (null: none). */
export const slugHealthCheck: Migration = {
  id: 21,
  name: 'slug-health-check',
  up: `ALTER TABLE slugs ADD COLUMN health_check_path TEXT;`,
};

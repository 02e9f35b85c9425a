import type { Migration } from './migration.js';

/**
 * Drain URLs may carry credentials: the full URL is kept sealed, and `url`
 * holds only its redacted form (for display and per-app uniqueness). Rows
 * from before are sealed by the drain store when the store opens (SQL
 * cannot encrypt).
 */
export const drainUrlSealed: Migration = {
  id: 120,
  name: 'drain-url-sealed',
  up: 'ALTER TABLE log_drains ADD COLUMN url_sealed BLOB;',
};

import type { Migration } from './migration.js';

/** A Compose app's slug names an image per process type (JSON: type → image, argv, port, env, depends_on). */
export const slugProcessImages: Migration = {
  id: 620,
  name: 'slug-process-images',
  up: 'ALTER TABLE slugs ADD COLUMN process_images TEXT;',
};

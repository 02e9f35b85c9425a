import type { Migration } from './migration.js';

/** The OCI image made of a slug on the stack image (null until made, or when images are off). */
export const slugImage: Migration = {
  id: 200,
  name: 'slug-image',
  up: `ALTER TABLE slugs ADD COLUMN image_id TEXT;`,
};

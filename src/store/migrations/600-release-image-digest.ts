import type { Migration } from './migration.js';

/** The manifest digest of a release's pushed image (`oci_image.id`), null until the registry has it. */
export const releaseImageDigest: Migration = {
  id: 600,
  name: 'release-image-digest',
  up: `ALTER TABLE releases ADD COLUMN image_digest TEXT;`,
};

import type { Migration } from './migration.js';

/** An image per process type (heroku.yml `build.docker` with several Dockerfiles) and the digests of their pushed tags. */
export const processImages: Migration = {
  id: 601,
  name: 'process-images',
  up: `ALTER TABLE slugs ADD COLUMN process_images TEXT;
       ALTER TABLE releases ADD COLUMN process_image_digests TEXT;`,
};

import type { Migration } from './migration.js';

/**
 * `slugs.process_images` (601) holds a record per process type (image id, and for a Compose
 * service how it runs): the bare image ids 601 wrote become `{"imageId": …}`.
 */
export const processImageRecords: Migration = {
  id: 620,
  name: 'process-image-records',
  up: `UPDATE slugs SET process_images = (
         SELECT json_group_object(key, CASE type WHEN 'text' THEN json_object('imageId', value) ELSE json(value) END)
         FROM json_each(slugs.process_images)
       ) WHERE process_images IS NOT NULL;`,
};

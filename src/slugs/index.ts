/**
 * Slugs: the immutable, content-addressed archives builds produce and runtimes
 * run. A slug is a gzipped tar of `./app/...` (Heroku's format), stored as
 * `$CUPAAS_HOME/slugs/<sha256>.tgz`. Owns only the files, not the records.
 */
export { createSlugArchive, type SlugArchive, type PackedSlug } from './archive.js';

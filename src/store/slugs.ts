import type { ProcessImage, ProcessTypes, Slug } from '../domain/index.js';
import { json, str, strOrNull, type Db, type Row } from './sql.js';

const toSlug = (r: Row): Slug => ({
  id: str(r.id),
  appId: str(r.app_id),
  checksum: str(r.checksum),
  size: r.size as number,
  processTypes: json<ProcessTypes>(r.process_types),
  commit: strOrNull(r.commit_sha),
  commitDescription: strOrNull(r.commit_description),
  stack: str(r.stack),
  buildpackDescription: strOrNull(r.buildpack_description),
  healthCheckPath: strOrNull(r.health_check_path),
  imageId: strOrNull(r.image_id),
  ...(r.process_images ? { processImages: json<Record<string, ProcessImage>>(r.process_images) } : {}),
  createdAt: str(r.created_at),
});

export function createSlugStore(db: Db) {
  return {
    insert(s: Slug): void {
      db.prepare(
        `INSERT INTO slugs (id, app_id, checksum, size, process_types, commit_sha, commit_description, stack,
           buildpack_description, health_check_path, image_id, process_images, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        s.id, s.appId, s.checksum, s.size, JSON.stringify(s.processTypes), s.commit, s.commitDescription,
        s.stack, s.buildpackDescription, s.healthCheckPath, s.imageId, s.processImages ? JSON.stringify(s.processImages) : null, s.createdAt,
      );
    },
    get(id: string): Slug | undefined {
      const r = db.prepare('SELECT * FROM slugs WHERE id = ?').get(id) as Row | undefined;
      return r && toSlug(r);
    },
    /** Newest first. */
    listForApp(appId: string): Slug[] {
      return (db.prepare('SELECT * FROM slugs WHERE app_id = ? ORDER BY created_at DESC').all(appId) as Row[]).map(
        toSlug,
      );
    },
    /** Records the image made of the slug. */
    setImage(id: string, imageId: string): void {
      db.prepare('UPDATE slugs SET image_id = ? WHERE id = ?').run(imageId, id);
    },
    /** Whether any slug record (of any app) still refers to the image. */
    imageInUse(imageId: string): boolean {
      const inProcesses = "EXISTS (SELECT 1 FROM json_each(slugs.process_images) WHERE json_extract(value, '$.imageId') = ?)";
      return db.prepare(`SELECT 1 FROM slugs WHERE image_id = ? OR ${inProcesses}`).get(imageId, imageId) !== undefined;
    },
    /** Whether any slug record (of any app) still refers to the archive. */
    checksumInUse(checksum: string): boolean {
      return db.prepare('SELECT 1 FROM slugs WHERE checksum = ?').get(checksum) !== undefined;
    },
    delete(id: string): void {
      db.prepare('DELETE FROM slugs WHERE id = ?').run(id);
    },
  };
}

export type SlugStore = ReturnType<typeof createSlugStore>;

import { CONTAINER_STACK } from '../domain/index.js';
import type { SlugArchive } from '../slugs/index.js';
import type { DeployDeps } from './context.js';

/**
 * Keeps the newest `keep` slugs of an app, and any older slug a release
 * still refers to (it can be rolled back to). Returns how many were removed.
 * An archive is deleted only when no slug record of any app shares it.
 */
export function pruneSlugs(
  store: DeployDeps['store'],
  archive: Pick<SlugArchive, 'remove'>,
  appId: string,
  keep: number,
  /** Removes a slug's image once no slug refers to it (images the releases kept refer to stay). */
  images?: DeployDeps['images'],
): number {
  const referenced = store.releases.referencedSlugIds(appId);
  let removed = 0;
  for (const slug of store.slugs.listForApp(appId).slice(keep)) {
    if (referenced.has(slug.id)) continue;
    store.slugs.delete(slug.id);
    if (slug.stack !== CONTAINER_STACK && !store.slugs.checksumInUse(slug.checksum)) archive.remove(slug.checksum);
    for (const image of [slug.imageId, ...Object.values(slug.processImages ?? {})]) if (image && images) void images.forget(image);
    removed++;
  }
  return removed;
}

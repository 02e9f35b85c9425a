import { CONTAINER_STACK, type Slug } from '../domain/index.js';
import type { SlugArchive } from '../slugs/index.js';
import type { DeployDeps } from './context.js';

/** The images the platform made for a slug; a user's own (a Compose `image:` service) is never removed. */
function ownImages(slug: Slug): string[] {
  const processImages = Object.values(slug.processImages ?? {});
  const external = new Set(processImages.filter((p) => p.external).map((p) => p.imageId));
  return [...new Set([slug.imageId, ...processImages.map((p) => p.imageId)])].filter((id): id is string => !!id && !external.has(id));
}

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
    if (images) for (const image of ownImages(slug)) void images.forget(image);
    removed++;
  }
  return removed;
}

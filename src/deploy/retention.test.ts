/** Slug retention: the newest N stay, and so does every slug a release refers to. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Slug } from '../domain/index.js';
import { pruneSlugs } from './retention.js';

const slug = (id: string, checksum = `SHA256:${id}`): Slug => ({
  id, appId: 'app', checksum, size: 1, processTypes: {}, commit: null, commitDescription: null, stack: 'cupaas-24',
  buildpackDescription: null, healthCheckPath: null, imageId: null, createdAt: '',
});

it('keeps the newest slugs and referenced ones; archives go only when no record shares them', () => {
  // Newest first, as the store lists them. s4 shares its archive with s1.
  let slugs = [slug('s1'), slug('s2'), slug('s3'), slug('s4', 'SHA256:s1'), slug('s5')];
  const removedArchives: string[] = [];
  const store = {
    releases: { referencedSlugIds: () => new Set(['s3']) },
    slugs: {
      listForApp: () => slugs,
      delete: (id: string) => (slugs = slugs.filter((s) => s.id !== id)),
      checksumInUse: (c: string) => slugs.some((s) => s.checksum === c),
    },
  } as unknown as Parameters<typeof pruneSlugs>[0];
  const removed = pruneSlugs(store, { remove: (c) => void removedArchives.push(c) }, 'app', 2);
  assert.equal(removed, 2);
  assert.deepEqual(slugs.map((s) => s.id), ['s1', 's2', 's3']);
  assert.deepEqual(removedArchives, ['SHA256:s5']);
});

it("removes a pruned slug's own images, never a user's image a Compose service names", () => {
  const old: Slug = {
    ...slug('s2'), stack: 'container', imageId: 'sha256:nginx',
    processImages: {
      web: { imageId: 'sha256:nginx', external: true },
      worker: { imageId: 'sha256:built-worker' },
      cache: { imageId: 'sha256:redis', external: true },
    },
  };
  let slugs = [slug('s1'), old];
  const store = {
    releases: { referencedSlugIds: () => new Set() },
    slugs: { listForApp: () => slugs, delete: (id: string) => (slugs = slugs.filter((s) => s.id !== id)), checksumInUse: () => false },
  } as unknown as Parameters<typeof pruneSlugs>[0];
  const forgotten: string[] = [];
  const images = { forget: async (id: string) => void forgotten.push(id) } as unknown as Parameters<typeof pruneSlugs>[4];
  assert.equal(pruneSlugs(store, { remove: () => undefined }, 'app', 1, images), 1);
  assert.deepEqual(forgotten, ['sha256:built-worker']);
});

import { lazyPackage } from './lazy.js';

/**
 * Packages that only occasional work needs (deploys, image builds, stack
 * exports), let go a little after their last use (issue 17: the parser and
 * archiver a deploy loaded were the largest part of what an idle server
 * kept after it, ~1.5 MB). One loader each: a second loader of the same
 * package would find it in require's cache and keep it alive past the other's
 * release. Long enough that one deploy's steps share one load.
 */
const RELEASE_AFTER_MS = 10_000;

export const yaml = lazyPackage<typeof import('yaml')>('yaml', { releaseAfterMs: RELEASE_AFTER_MS });
export const tar = lazyPackage<typeof import('tar')>('tar', { releaseAfterMs: RELEASE_AFTER_MS });

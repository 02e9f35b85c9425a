import { createHash } from 'node:crypto';

/**
 * Labels on everything cupaas creates in the engine (images, containers,
 * networks): what it is, and which platform home owns it, so that two
 * platforms (or test runs) on one engine never adopt or remove each other's
 * objects, and cleaning up never touches anyone else's.
 */
export const LABEL = {
  /** The owning platform: a hash of its home directory. */
  home: 'io.cupaas.home',
  app: 'io.cupaas.app',
  appName: 'io.cupaas.app-name',
  release: 'io.cupaas.release',
  version: 'io.cupaas.release-version',
  dyno: 'io.cupaas.dyno',
  dynoId: 'io.cupaas.dyno-id',
  /** The dyno's spec without its env (config vars stay out of labels), for adoption. */
  spec: 'io.cupaas.spec',
  slug: 'io.cupaas.slug',
} as const;

/** The owner label value of a platform home. */
export const homeLabel = (home: string): string => createHash('sha256').update(home).digest('hex').slice(0, 16);

/**
 * The registry release images are pushed to: `CUPAAS_REGISTRY_URL`, else the
 * platform's own on loopback.
 */
export const registryHost = (images: { registryUrl: string | null; registryPort: number }): string =>
  images.registryUrl ?? `127.0.0.1:${images.registryPort}`;

/** The pullable name of release vN of an app: `REGISTRY/APP:vN`. */
export const releaseImageRef = (registry: string, appName: string, version: number): string => `${registry}/${appName}:v${version}`;

/** A process type that has an image of its own names a repository path component, so it must be one. */
export const isRepositoryComponent = (type: string): boolean => /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(type);

/** The repository of a process type's own image (heroku.yml `build.docker` with several Dockerfiles, a Compose service): `APP/TYPE`. */
export const processImageRepo = (appName: string, type: string): string => `${appName}/${type}`;

/**
 * What nodes pull for a release: its image pinned by the manifest digest its
 * push recorded (`REGISTRY/APP@sha256:…`: every node runs the same bytes,
 * whatever the tag says later), else its tag while the push is under way.
 */
export const pullRef = (registry: string, appName: string, release: { version: number; imageDigest: string | null }): string =>
  release.imageDigest ? `${registry}/${appName}@${release.imageDigest}` : releaseImageRef(registry, appName, release.version);

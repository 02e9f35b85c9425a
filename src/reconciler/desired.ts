import { CONTAINER_STACK, type App, type ProcessImage, type Release, type Slug } from '../domain/index.js';
import { isBootFailure } from './backoff.js';
import { processImageRepo } from '../images/index.js';
import type { DynoArtifact } from '../runtime/index.js';
import type { Store } from '../store/index.js';
import { formationFor } from './formation.js';
import type { DesiredApp, DesiredProcess } from './model.js';

export type DesiredStore = Pick<Store, 'apps' | 'releases' | 'slugs' | 'formations' | 'restarts'>;

/**
 * A release's HTTP health-check path: the one its build recorded on the slug
 * (`.cupaas` or app.json `healthcheck`). Null: web dynos are up as soon as
 * they accept connections on $PORT.
 */
function healthCheckPathOf(slug: Slug): string | null {
  return slug.healthCheckPath;
}

/**
 * The pullable name of a release's image: by the digest its push recorded
 * (`REGISTRY/APP@sha256:…`: every node runs the same bytes), else its tag
 * (`REGISTRY/APP:vN`); without it an image is named by its id (this engine only).
 */
export type ImageRef = (appName: string, release: Pick<Release, 'version' | 'imageDigest'>) => string;

/**
 * What dynos of a slug run: its archive (none for a Dockerfile build) and its
 * image, pulled as `ref` (`REGISTRY/APP@sha256:…` once pushed) or, without
 * one, run by id from this engine.
 */
export function slugArtifact(slug: Pick<Slug, 'checksum' | 'stack' | 'imageId'>, ref?: string): DynoArtifact {
  return { slugChecksum: slug.stack === CONTAINER_STACK ? null : slug.checksum, image: slug.imageId ? { id: slug.imageId, ref: ref ?? slug.imageId } : null };
}

/**
 * The artifacts of process types with an image of their own, pulled from their own repositories
 * (`REGISTRY/APP/TYPE`); a Compose service's runs as its image says, on its own web port.
 */
function processArtifacts(
  images: Readonly<Record<string, ProcessImage>>, appName: string, release: Release, imageRef?: ImageRef,
): Record<string, DynoArtifact> {
  return Object.fromEntries(
    Object.entries(images).map(([type, p]) => {
      const ref = imageRef?.(processImageRepo(appName, type), { version: release.version, imageDigest: release.processImageDigests?.[type] ?? null });
      const run = p.run ? { process: { entrypoint: p.run.entrypoint, command: p.run.command, port: type === 'web' ? p.run.port : null } } : {};
      return [type, { slugChecksum: null, image: { id: p.imageId, ref: ref ?? p.imageId }, ...run }];
    }),
  );
}

/** A Compose service's env and start order (`depends_on`), or nothing. */
function composeProcess(image: ProcessImage | undefined): Pick<DesiredProcess, 'env' | 'dependsOn'> {
  return image?.run ? { env: image.run.env, dependsOn: image.run.dependsOn } : {};
}

/**
 * The release to run: the newest that has not failed, or, when none of those
 * has a slug, the newest first deploy that failed to boot, so its dynos keep
 * trying (with back-off) instead of nothing running at all.
 */
function runnableRelease(store: DesiredStore, appId: string): Release | undefined {
  const current = store.releases.current(appId);
  if (current?.slugId) return current;
  const deployed = store.releases.list(appId).filter((r) => r.slugId !== null);
  if (deployed.some((r) => r.status !== 'failed')) return current;
  return deployed.filter((r) => isBootFailure(r.statusReason)).at(-1) ?? current;
}

/** What one app should run now, read from the store. */
export function desiredApp(store: DesiredStore, app: App, imageRef?: ImageRef): DesiredApp {
  const restarts = Object.fromEntries(store.restarts.list(app.id).map((r) => [r.target, Date.parse(r.requestedAt)]));
  const release = runnableRelease(store, app.id);
  const slug = release?.slugId ? store.slugs.get(release.slugId) : undefined;
  if (!release || !slug) return { appId: app.id, appName: app.name, release: null, processes: [], restarts };
  const processes = formationFor(app.id, slug.processTypes, store.formations.list(app.id), slug.createdAt).map((f) => ({
    type: f.type, command: f.command, quantity: f.quantity, size: f.size,
    ...composeProcess(slug.processImages?.[f.type]),
  }));
  return {
    appId: app.id,
    appName: app.name,
    release: {
      id: release.id, version: release.version, status: release.status,
      artifact: slugArtifact(slug, imageRef?.(app.name, release)),
      ...(slug.processImages ? { processArtifacts: processArtifacts(slug.processImages, app.name, release, imageRef) } : {}),
      config: release.config, healthCheckPath: healthCheckPathOf(slug),
    },
    processes,
    restarts,
  };
}

/** The desired state of every app. */
export function loadDesired(store: DesiredStore, imageRef?: ImageRef): DesiredApp[] {
  return store.apps.list().map((app) => desiredApp(store, app, imageRef));
}

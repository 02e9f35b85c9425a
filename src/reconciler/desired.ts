import { CONTAINER_STACK, type App, type ProcessImage, type Release, type Slug } from '../domain/index.js';
import { isBootFailure } from './backoff.js';
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
 * The pullable name of release vN's image (`REGISTRY/APP:vN`, a Compose
 * process type's `REGISTRY/APP:vN-TYPE`); without it an image is named by its
 * id (this engine only).
 */
export type ImageRef = (appName: string, version: number, processType?: string) => string;

/** A Compose process type's own artifact and env, or nothing for a process of the release's one image. */
function processImageOf(image: ProcessImage | undefined, ref: string | undefined, type: string): Partial<DesiredProcess> {
  if (!image) return {};
  const artifact = {
    slugChecksum: null,
    image: { id: image.imageId, ref: ref ?? image.imageId },
    process: { entrypoint: image.entrypoint, command: image.command, port: type === 'web' ? image.port : null },
  };
  return { image: { artifact, env: image.env }, dependsOn: image.dependsOn };
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
    ...processImageOf(slug.processImages?.[f.type], imageRef?.(app.name, release.version, f.type), f.type),
  }));
  return {
    appId: app.id,
    appName: app.name,
    release: {
      id: release.id, version: release.version, status: release.status,
      artifact: { slugChecksum: slug.stack === CONTAINER_STACK ? null : slug.checksum, image: slug.imageId ? { id: slug.imageId, ref: imageRef?.(app.name, release.version) ?? slug.imageId } : null },
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

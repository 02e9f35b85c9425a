import { CONTAINER_STACK, type App, type Slug } from '../domain/index.js';
import type { Store } from '../store/index.js';
import { formationFor } from './formation.js';
import type { DesiredApp } from './model.js';

export type DesiredStore = Pick<Store, 'apps' | 'releases' | 'slugs' | 'formations' | 'restarts'>;

/**
 * A release's HTTP health-check path: the one its build recorded on the slug
 * (`.cupaas` or app.json `healthcheck`). Null: web dynos are up as soon as
 * they accept connections on $PORT.
 */
function healthCheckPathOf(slug: Slug): string | null {
  return slug.healthCheckPath;
}

/** The pullable name of release vN's image (`REGISTRY/APP:vN`); without it an image is named by its id (this engine only). */
export type ImageRef = (appName: string, version: number) => string;

/** What one app should run now, read from the store. */
export function desiredApp(store: DesiredStore, app: App, imageRef?: ImageRef): DesiredApp {
  const restarts = Object.fromEntries(store.restarts.list(app.id).map((r) => [r.target, Date.parse(r.requestedAt)]));
  const release = store.releases.current(app.id);
  const slug = release?.slugId ? store.slugs.get(release.slugId) : undefined;
  if (!release || !slug) return { appId: app.id, appName: app.name, release: null, processes: [], restarts };
  const processes = formationFor(app.id, slug.processTypes, store.formations.list(app.id), slug.createdAt).map((f) => ({
    type: f.type, command: f.command, quantity: f.quantity, size: f.size,
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

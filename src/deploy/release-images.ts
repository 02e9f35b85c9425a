import type { PlatformEvent } from '../domain/index.js';
import {
  buildDockerfile, homeLabel, LABEL, imageFromSlug, processImageRepo, pullImage, pullRef, pushTag, registryHost,
  type DockerfileBuild, type Engine, type RegistryAuth,
} from '../images/index.js';
import { dynoShellArgv } from '../runtime/index.js';
import { errorMessage } from '../shared/errors.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { SlugArchive } from '../slugs/index.js';
import type { Store } from '../store/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type { LogSink } from '../domain/index.js';

export interface ReleaseImagesDeps {
  engine: Engine;
  config: Pick<ResolvedConfig, 'home' | 'images'>;
  store: Pick<Store, 'apps' | 'releases' | 'slugs'>;
  slugs: Pick<SlugArchive, 'extract'>;
  logs: LogSink;
  logger: Logger;
}

export type ReleaseImages = ReturnType<typeof createReleaseImages>;

/**
 * Every slug release as an OCI image: the deploy's `image` step makes the
 * slug's image (once per slug), and each new release, config changes
 * included, is tagged `REGISTRY/APP:vN` and pushed (to an outside registry
 * too, when one is configured), so any release can be pulled.
 */
export function createReleaseImages(deps: ReleaseImagesDeps) {
  const { engine, config, store, logger } = deps;
  const registry = registryHost(config.images);
  const mirror = config.images.mirror;
  const mirrorAuth: RegistryAuth | null = mirror?.username ? { username: mirror.username, password: mirror.password } : null;
  const pushes = new Set<Promise<void>>();

  /** Pushes in the background (a first push uploads the stack's layers), tracked for `settled()`. */
  const tagInBackground = (appId: string, version: number) => {
    const p = tagRelease(appId, version)
      .catch((err: unknown) => logger.error('pushing the release image failed', { app: appId, version, error: errorMessage(err) }))
      .finally(() => pushes.delete(p));
    pushes.add(p);
  };

  const tagRelease = async (appId: string, version: number): Promise<void> => {
    const app = store.apps.find(appId);
    const release = store.releases.get(appId, version);
    const slug = release?.slugId ? store.slugs.get(release.slugId) : undefined;
    if (!app || !release || !slug?.imageId) return;
    const tag = `v${version}`;
    /** Pushes one image as `REPO:vN` (to the mirror too), returning the platform registry's digest. */
    const push = async (imageId: string, repo: string) => {
      const pushed = await pushTag(engine, imageId, { host: registry, repo, tag }, null);
      deps.logs.write(appId, { source: 'heroku', process: 'api', message: `Pushed image ${pushed.ref} (${pushed.digest})` });
      if (mirror) await pushTag(engine, imageId, { host: mirror.url, repo, tag }, mirrorAuth);
      return pushed.digest;
    };
    const digest = await push(slug.imageId, app.name);
    // A process type with an image of its own (a Dockerfile of its own, a Compose service) is its own
    // repository, as on Heroku's registry (`APP/TYPE`), pinned by digest like the release's image.
    const perType: Record<string, string> = {};
    for (const [type, p] of Object.entries(slug.processImages ?? {})) perType[type] = await push(p.imageId, processImageRepo(app.name, type));
    store.releases.setImageDigest(release.id, digest, perType);
  };

  return {
    registry,
    /** The pullable name of a release's image: pinned by digest once pushed, its tag before. */
    refOf: (appName: string, release: { version: number; imageDigest: string | null }) => pullRef(registry, appName, release),
    /** Makes (or finds) the image of a slug; `onLine` gets the engine's build output. */
    imageOfSlug(slug: { checksum: string; processTypes: Readonly<Record<string, string>> }, onLine: (line: string) => void) {
      const web = slug.processTypes.web;
      return imageFromSlug(engine, deps.slugs, {
        checksum: slug.checksum, home: homeLabel(config.home), cmd: web ? dynoShellArgv(web) : null, onLine,
      });
    },
    /** Builds an app's Dockerfile (see `buildDockerfile`) with the platform's build memory limit. */
    buildDockerfile(b: Omit<DockerfileBuild, 'home' | 'memoryBytes'>) {
      return buildDockerfile(engine, { ...b, home: homeLabel(config.home), memoryBytes: config.images.buildMemoryMb * 1024 * 1024 });
    },
    /**
     * The id of an image a Compose service of `appId` names (`image:`): on this
     * engine already, else pulled from its registry. Fails with what to do when
     * neither works, and refuses an image the platform made for anything but
     * this app (another app's release or build, by tag, digest or id: it holds
     * that app's code and build args).
     */
    async findImage(ref: string, appId: string): Promise<string> {
      let image = await engine.getImage(ref).inspect().catch(() => null);
      if (!image) {
        try {
          await pullImage(engine, ref);
          image = await engine.getImage(ref).inspect();
        } catch (e) {
          throw new Error(`image "${ref}" is not on this engine and could not be pulled (${errorMessage(e)}); push it to a registry the platform reaches, or build it with \`build:\``);
        }
      }
      const labels = image.Config.Labels ?? {};
      if (labels[LABEL.home] !== undefined && labels[LABEL.app] !== appId) {
        throw new Error(`image "${ref}" was made by the platform for another app; name an image of your own, or build it with \`build:\``);
      }
      return image.Id;
    },
    /**
     * Makes the images the current releases lack (they were deployed while
     * images were off), so that a platform switched to an image runtime runs
     * them without a redeploy. Returns how many it made.
     */
    async backfill(): Promise<number> {
      let made = 0;
      for (const app of store.apps.list()) {
        const release = store.releases.current(app.id);
        const slug = release?.slugId ? store.slugs.get(release.slugId) : undefined;
        if (!release || !slug) continue;
        // Pushed before the platform recorded digests: pushed again, the registry reports it.
        if (slug.imageId && !release.imageDigest) tagInBackground(app.id, release.version);
        if (slug.imageId) continue;
        const id = await this.imageOfSlug(slug, () => undefined);
        store.slugs.setImage(slug.id, id);
        tagInBackground(app.id, release.version);
        made++;
      }
      return made;
    },
    /** Removes an image no slug refers to any more (its registry tags stay pullable). */
    async forget(imageId: string): Promise<void> {
      if (store.slugs.imageInUse(imageId)) return;
      await engine.getImage(imageId).remove({ noprune: false }).catch((e: unknown) => {
        logger.warn('release image not removed', { image: imageId, error: errorMessage(e) });
      });
    },
    /** Tags and pushes each new release's image; returns the unsubscribe. */
    start(events: Pick<EventBus<PlatformEvent>, 'subscribe'>): () => void {
      return events.subscribe((e) => {
        if (e.type === 'release.created') tagInBackground(e.appId, e.version);
      });
    },
    /** Waits for pushes under way (shutdown, tests). */
    async settled(): Promise<void> {
      await Promise.all([...pushes]);
    },
  };
}

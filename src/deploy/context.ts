import type { Builder, CommitInfo, ComposeApp, ManifestPlan, Manifests, SelectedBuildpack } from '../build/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type {
  Build, DeployRequest, FormationIntent, LogSink, OneOffRunner, PlatformEvent, ProcessImage, ProcessTypes, Release, ServiceProvisioner, Slug,
} from '../domain/index.js';
import type { ReleaseService } from '../releases/index.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { SlugArchive } from '../slugs/index.js';
import type { Store } from '../store/index.js';
import type { ReleaseImages } from './release-images.js';

export interface DeployDeps {
  config: Pick<ResolvedConfig, 'home' | 'build' | 'hostPath' | 'npmRegistry' | 'baseDomain' | 'routerPort' | 'runtimeDriver'>;
  store: Pick<Store, 'builds' | 'slugs' | 'releases' | 'cronJobs' | 'transaction'>;
  releases: Pick<ReleaseService, 'deploy'>;
  builder: Builder;
  slugs: SlugArchive;
  events: Pick<EventBus<PlatformEvent>, 'publish'>;
  logger: Logger;
  /** Provisions declared services before the release; optional until add-ons exist. */
  services?: ServiceProvisioner;
  /** Formation rows for new process types are its call. */
  formation: Pick<FormationIntent, 'ensureProcessTypes'>;
  /** Runs the release phase and postdeploy in one-off dynos; without it both are skipped. */
  oneOffs?: OneOffRunner;
  /** Where a deploy's summary lines go in the app's log stream, when logs are wired. */
  logs?: LogSink;
  /** Makes slug releases OCI images, when the platform runs images. */
  images?: Pick<ReleaseImages, 'imageOfSlug' | 'buildDockerfile' | 'findImage' | 'forget'>;
}

/** One deploy's state as it moves through the pipeline's steps. */
export interface DeployContext {
  readonly deps: DeployDeps;
  readonly req: DeployRequest;
  readonly buildId: string;
  readonly dirs: {
    /** Scratch space, removed when the deploy ends. */
    work: string;
    /** The app's source; compiled in place into the slug's contents. */
    app: string;
    /** The app's build cache, kept between builds. */
    cache: string;
  };
  readonly signal: AbortSignal;
  /** A line of the platform's own, e.g. `-----> Releasing v3`. */
  say(line: string): void;
  /** Raw buildpack output. */
  output(chunk: string): void;
  /** Records fields of the build row. */
  record(patch: Partial<Pick<Build, 'sourceVersion' | 'commitMessage' | 'commitAuthor' | 'buildpacks' | 'slugId' | 'releaseId'>>): void;
  commit?: CommitInfo;
  manifests?: Manifests;
  plan?: ManifestPlan;
  buildpacks?: SelectedBuildpack[];
  processTypes?: ProcessTypes;
  slug?: Slug;
  release?: Release;
  /** Set by detect for an app built from its Dockerfile by the engine instead of buildpacks. */
  container?: ContainerBuild;
  /** The image a Dockerfile build made (a Compose app's web image). */
  containerImage?: string;
  /** Set by detect for a Compose app. */
  compose?: ComposeApp;
  /** Process types with an image of their own (a Dockerfile of their own, a Compose service). */
  processImages?: Readonly<Record<string, ProcessImage>>;
}

/** The Dockerfiles an image build uses: the app's main one, and the process types that name another. */
export interface ContainerBuild {
  /** Builds the release's image (`REGISTRY/APP:vN`): the one `web` names, else the first listed, else the root's. */
  dockerfile: string;
  /** Process type → a Dockerfile other than the main one: an image of its own (`REGISTRY/APP/TYPE:vN`). */
  others: Readonly<Record<string, string>>;
}

/** A named step of the deploy pipeline. */
export interface DeployStep {
  name: string;
  run(ctx: DeployContext): Promise<void>;
}

/** Reads a value an earlier step must have set; a missing one is a pipeline bug. */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`deploy pipeline: ${what} is not set; a step ran out of order`);
  return value;
}

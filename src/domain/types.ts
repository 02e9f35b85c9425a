/**
 * The platform's domain records, in Heroku's vocabulary. Stored by src/store,
 * served in Heroku's JSON shapes by src/api. Times are ISO 8601 strings.
 */

import type { PlatformRole } from './access.js';

export interface User {
  id: string;
  email: string;
  name: string;
  /** `admin` runs the platform (users, every app); `member` sees only apps shared with them. */
  role: PlatformRole;
  createdAt: string;
  updatedAt: string;
}

export interface App {
  id: string;
  name: string;
  ownerId: string;
  /** The team that owns the app (its members' roles apply), or null for a personal app. */
  teamId: string | null;
  /** Branch that `git push` deploys; pushes to others are refused. */
  deployBranch: string;
  maintenance: boolean;
  createdAt: string;
  updatedAt: string;
}

export type ConfigVars = Readonly<Record<string, string>>;

export type ReleaseStatus = 'pending' | 'succeeded' | 'failed';

export interface Release {
  id: string;
  appId: string;
  version: number;
  description: string;
  status: ReleaseStatus;
  /** Why a release failed (boot failure, release phase), shown to users. */
  statusReason: string | null;
  slugId: string | null;
  config: ConfigVars;
  /** Services declared by the app manifest (`.cupaas` services, app.json addons). */
  services: readonly string[];
  userId: string | null;
  /** The manifest digest (`sha256:…`) the registry reported when this release's image was pushed; null until then. */
  imageDigest: string | null;
  /** The pushed manifest digests of the process types with an image of their own (`Slug.processImages`). */
  processImageDigests?: Readonly<Record<string, string>>;
  createdAt: string;
  updatedAt: string;
}

export type ProcessTypes = Readonly<Record<string, string>>;

export interface Slug {
  id: string;
  appId: string;
  /** `SHA256:<hex>` of the archive; the archive is stored under that digest. */
  checksum: string;
  size: number;
  processTypes: ProcessTypes;
  commit: string | null;
  commitDescription: string | null;
  stack: string;
  buildpackDescription: string | null;
  /** Web dynos are up once `GET` of this path answers below 400 (from `.cupaas` or app.json); null: once they accept on $PORT. */
  healthCheckPath: string | null;
  /** The OCI image made of this slug on the stack image (`sha256:<hex>` image id), once made. */
  imageId: string | null;
  /**
   * Process types with an image of their own (heroku.yml `build.docker` naming another Dockerfile, every
   * Compose service); the others run `imageId`. Each is pushed as `REGISTRY/APP/TYPE:vN` and pinned by digest.
   */
  processImages?: Readonly<Record<string, ProcessImage>>;
  createdAt: string;
}

/** The part of an add-on's URL an environment value stands for (`REDIS_HOST` = the host of `REDIS_URL`). */
export type AddonUrlPart = 'url' | 'host' | 'port' | 'hostport' | 'user' | 'password' | 'database';

/** A process type's own image (`Slug.processImages`). */
export interface ProcessImage {
  imageId: string;
  /** A user's image a Compose service names (`image:`), used as it is: retention never removes it from the engine. */
  external?: boolean;
  /** Set for a Compose service: it runs as the image says, not the slug's command through a shell. */
  run?: ProcessRun;
}

/** How a Compose service's image runs. */
export interface ProcessRun {
  /** argv replacing the image's entrypoint / command; null keeps the image's. */
  entrypoint: readonly string[] | null;
  command: readonly string[] | null;
  /** The port a web image listens on whatever `$PORT` says; null: it reads `$PORT`. */
  port: number | null;
  /** Under the config vars: literals, or the part of an add-on's URL config var. */
  env: Readonly<Record<string, string | { configVar: string; part: AddonUrlPart }>>;
  /** Process types whose dynos must be up before this one's start (`depends_on`). */
  dependsOn: readonly string[];
}

/** The stack of a slug record that names a Dockerfile build's image instead of an archive (Heroku's name). */
export const CONTAINER_STACK = 'container';

/** A release's OCI image as Heroku names it: `id` is the image digest, `ref` a pullable name (`REGISTRY/APP:vN`). */
export interface OciImage {
  id: string;
  ref: string;
}

export type BuildStatus = 'pending' | 'succeeded' | 'failed';

/**
 * How a deploy was started. `restart`: a connected repo's deploy that the
 * server stopped or crashed before it finished, offered again at the next start.
 */
export type BuildTrigger = 'push' | 'api' | 'webhook' | 'poll' | 'manual' | 'restart';

export interface Build {
  id: string;
  appId: string;
  status: BuildStatus;
  trigger: BuildTrigger;
  sourceUrl: string | null;
  sourceChecksum: string | null;
  /** Commit sha or other version identifier of the source. */
  sourceVersion: string | null;
  commitMessage: string | null;
  commitAuthor: string | null;
  buildpacks: readonly string[];
  slugId: string | null;
  releaseId: string | null;
  userId: string | null;
  failureReason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Formation {
  id: string;
  appId: string;
  type: string;
  quantity: number;
  size: string;
  createdAt: string;
  updatedAt: string;
}

export type DomainKind = 'heroku' | 'custom';

export interface AppDomain {
  id: string;
  appId: string;
  hostname: string;
  kind: DomainKind;
  createdAt: string;
  updatedAt: string;
}

/** A certificate an app serves by SNI for the custom domains it covers (Heroku's SNI endpoint). */
export interface SniEndpoint {
  id: string;
  appId: string;
  name: string;
  /** PEM: the leaf first, then intermediates. */
  certificateChain: string;
  /** PEM; sealed at rest, never returned by the API. */
  privateKey: string;
  createdAt: string;
  updatedAt: string;
}

export type AddonState = 'provisioning' | 'provisioned' | 'deprovisioned';

export interface Addon {
  id: string;
  appId: string;
  name: string;
  service: string;
  plan: string;
  /** Prefix of its config vars (`DATABASE` gives `DATABASE_URL`). */
  attachmentName: string;
  state: AddonState;
  providerId: string | null;
  /** Config vars the add-on owns, values included; encrypted at rest. */
  config: ConfigVars;
  createdAt: string;
  updatedAt: string;
}

export interface AddonBackup {
  id: string;
  addonId: string;
  path: string;
  size: number;
  createdAt: string;
}

export interface RepoConnection {
  appId: string;
  url: string;
  branch: string;
  /** Seconds between polls; 0 turns polling off. */
  pollInterval: number;
  /** HTTPS token or SSH private key; encrypted at rest, never echoed. */
  credential: string | null;
  sshPublicKey: string | null;
  webhookSecret: string;
  lastSeenSha: string | null;
  lastError: string | null;
  lastCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LogDrain {
  id: string;
  appId: string;
  url: string;
  token: string;
  createdAt: string;
  updatedAt: string;
}

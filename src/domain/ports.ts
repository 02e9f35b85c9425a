/**
 * The contracts between subsystems that are wired together in src/server.
 * Each is implemented by exactly one subsystem and used by others through
 * these types only, so neither side imports the other.
 */
import type { App, Build, BuildTrigger, ConfigVars, Slug } from './types.js';

// ---- Logs (implemented by src/logs) ----------------------------------------

/** `app` for a dyno's own output; `heroku` for platform components. */
export type LogSource = 'app' | 'heroku';

export interface LogLine {
  source: LogSource;
  /** `web.1`, `router`, `api`, `build`, or an add-on name. */
  process: string;
  message: string;
  /** Defaults to now. */
  time?: Date;
}

/** Where every subsystem writes app-visible log lines. */
export interface LogSink {
  write(appId: string, line: LogLine): void;
}

// ---- Routing (implemented by src/router) -------------------------------------

/** A web dyno the router may send requests to. */
export interface Backend {
  /** Unique per dyno instance (not the reusable name `web.1`). */
  dynoId: string;
  dynoName: string;
  host: string;
  port: number;
}

/** What the reconciler tells the router; the router owns hosts, health and forwarding. */
export interface RoutingTable {
  /** Replaces the set of backends of an app atomically. */
  setBackends(appId: string, backends: readonly Backend[]): void;
  /** Resolves once no request is in flight to the dyno, or after `timeoutMs`. */
  drain(dynoId: string, timeoutMs: number): Promise<void>;
}

// ---- Deploys (implemented by src/deploy) -------------------------------------

export type DeploySource =
  /**
   * A commit in a local git repository (a push's bare repo, or a connected repo's mirror).
   * `env` adds git environment, e.g. the object quarantine while a push's pre-receive hook runs.
   */
  | { kind: 'git'; gitDir: string; sha: string; env?: Readonly<Record<string, string>> }
  /**
   * A source tarball already on disk (builds API, `cupaas deploy`). `checksum` (`SHA256:<hex>`)
   * is verified when given; `version` is recorded as the build's source version.
   */
  | { kind: 'tarball'; path: string; url: string | null; checksum?: string | null; version?: string | null };

export interface DeployRequest {
  app: App;
  source: DeploySource;
  trigger: BuildTrigger;
  userId: string | null;
  /** Buildpacks to use instead of the app's manifests or detection (builds API). */
  buildpacks?: readonly string[];
  /** Receives build output as it is produced, line by line. */
  onOutput?: (line: string) => void;
  signal?: AbortSignal;
}

/** The one build-and-release path every deploy goes through. */
export interface Deployer {
  /** Builds and releases; resolves with the finished build (succeeded or failed). */
  deploy(req: DeployRequest): Promise<Build>;
}

// ---- Services declared by apps (implemented by src/addons) -------------------

export interface ServiceProvisioner {
  /** Supported service names, e.g. `postgres`, `redis`. */
  services(): readonly string[];
  /**
   * Provisions each named service the app does not have yet. Resolves with the
   * URL config var of the app's add-on of each service (`{redis: 'REDIS_URL'}`).
   */
  ensure(app: App, services: readonly string[], log: (line: string) => void): Promise<Record<string, string>>;
}

/**
 * Work other subsystems must finish before an app's records go away, such as
 * deprovisioning its add-ons. Runs in registration order; a failure aborts.
 */
export interface AppTeardown {
  name: string;
  beforeDestroy(app: App): Promise<void>;
}

// ---- Formation (implemented by src/reconciler's FormationService) -------------

/** The one owner of formation intent, asked by deploys (new process types) and the router (is web wanted). */
export interface FormationIntent {
  /**
   * Records a formation for each process type the app has none for yet: `defaults` (app.json
   * `formation`) where given, else Heroku's (web 1, other types 0). Existing ones stay as they are.
   */
  ensureProcessTypes(app: App, types: readonly string[], defaults: Readonly<Record<string, { quantity?: number; size?: string }>>): void;
  /** How many dynos of the type the app asks for (Heroku's default when never scaled). */
  quantity(appId: string, type: string): number;
}

// ---- One-off dynos (implemented by src/reconciler) ---------------------------

/** A command run to its end in a one-off dyno `TYPE.N` (release phase, postdeploy, scheduled jobs). */
export interface OneOffCommand {
  app: App;
  /** `release`, `postdeploy`, `scheduler`: the dyno is named `TYPE.N`. */
  type: string;
  command: string;
  /** The slug (its archive and image) and config to run instead of the current release's (a release not made yet). */
  release?: { id: string; version: number; slug: Pick<Slug, 'checksum' | 'stack' | 'imageId'>; config: ConfigVars };
  /** Stopped after this long (default: Heroku's 24 hours). */
  timeToLiveMs?: number;
  /** Each output line, as it comes (it also goes to the app's logs). */
  onLine?: (line: string) => void;
}

export interface OneOffRunner {
  /** Runs the command and resolves with the dyno's name and exit status (128 + signal when stopped). */
  runToExit(cmd: OneOffCommand): Promise<{ name: string; status: number }>;
}

// ---- Cluster nodes (implemented by runtime drivers that span machines: src/runtime/swarm) ----

/** A machine of the cluster, with the dynos on it. */
export interface ClusterNode {
  id: string;
  name: string;
  role: 'manager' | 'worker';
  leader: boolean;
  /** ready, down, unknown, disconnected */
  state: string;
  /** active; pause: no new dynos; drain: none at all */
  availability: 'active' | 'pause' | 'drain' | string;
  address: string | null;
  cpus: number;
  memoryMb: number;
  dynos: Array<{ appId: string; app: string; dyno: string }>;
}

/** What a multi-machine runtime tells about its machines, and the one change the platform makes to them. */
export interface ClusterNodes {
  nodes(): Promise<ClusterNode[]>;
  /** What a new machine runs to join: the worker token and the managers' addresses. */
  joinCommand(): Promise<{ token: string; managers: string[] }>;
  /** Sets a node's availability by name, id or id prefix; unknown names fail with `not_found`. */
  setNodeAvailability(node: string, availability: 'active' | 'pause' | 'drain'): Promise<ClusterNode>;
}

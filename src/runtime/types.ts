import type { Readable } from 'node:stream';
import type { ResolvedConfig } from '../config/index.js';
import type { Backend, ClusterNodes, LogSink, OciImage } from '../domain/index.js';
import type { Logger } from '../shared/logger.js';

/**
 * What a dyno runs: the release's slug, its OCI image, or both. A driver
 * runs the kind it declares (`RuntimeDriver.runs`); the deploy makes sure
 * releases carry it.
 */
export interface DynoArtifact {
  /** The slug archive (`SHA256:<hex>`). */
  slugChecksum: string | null;
  /** The image by digest (`id`) and a pullable reference (`REGISTRY/APP:vN`). */
  image: OciImage | null;
  /**
   * Set when the image runs as it says (a Compose service), not the slug's
   * command through bash: argv overrides (null keeps the image's) and the port
   * a web image listens on whatever `$PORT` says (null: it reads `$PORT`).
   */
  process?: { entrypoint: readonly string[] | null; command: readonly string[] | null; port: number | null };
}

/** What the reconciler asks a driver to run: one dyno of one release and process type. */
export interface DynoSpec {
  /** Unique per dyno instance; a restarted `web.1` gets a new id. */
  dynoId: string;
  appId: string;
  /** `web.1`, `worker.2`. */
  name: string;
  processType: string;
  releaseId: string;
  releaseVersion: number;
  artifact: DynoArtifact;
  /** The Procfile command, run by bash after the slug's profile scripts. */
  command: string;
  size: string;
  /** Config vars and dyno metadata (`DYNO`, `CUPAAS_APP`, ...); the driver adds `PORT` and `PATH`. */
  env: Readonly<Record<string, string>>;
  /** Web dynos get `$PORT` and count as up only once they accept connections on it. */
  web: boolean;
  /** When set, a web dyno is up only once `GET path` answers below 400. */
  healthCheckPath: string | null;
  /**
   * Set for one-off dynos (`run.1`, `release.1`, `scheduler.1`): they run outside the formation and
   * their end is not a crash. With an attachment the process talks to a client instead of the logs.
   */
  oneOff?: { attachment?: DynoAttachment };
}

/** A client attached to a one-off dyno (`heroku run`): raw bytes both ways, not log lines. */
export interface DynoAttachment {
  /** Run the command on a pseudo-terminal (size from the env's LINES and COLUMNS). */
  tty: boolean;
  /** What the client types; its end closes the process's stdin. */
  input: Readable;
  /** Receives stdout and stderr, merged, as they arrive. */
  output(chunk: Buffer): void;
}

/** `stopping`: asked to stop, not gone yet. Exited dynos leave the list. */
export type DriverDynoState = 'starting' | 'up' | 'stopping';

/** A dyno as the driver sees it now. */
export interface ObservedDyno {
  spec: DynoSpec;
  state: DriverDynoState;
  /** Epoch ms when the driver was asked to start it. */
  startedAt: number;
  /** Epoch ms of the last state change. */
  since: number;
  /** Where a web dyno accepts requests; null for other types. */
  host: string | null;
  port: number | null;
  /** How the dyno is isolated from the host (`none` for plain processes). */
  isolation: string;
  /** The cluster node it runs on, for drivers with several machines (`swarm`). */
  node?: string | null;
  /** Why a starting dyno is not running yet, as the cluster says (a node that cannot pull its image, no node that fits). */
  stateReason?: string | null;
}

/** Each event carries the dyno as last observed (an exited dyno has already left `list()`). */
export type DynoEvent =
  | { type: 'up'; dynoId: string; dyno: ObservedDyno }
  | {
      type: 'exited';
      dynoId: string;
      dyno: ObservedDyno;
      /** Exit status as a shell reports it (128 + signal number when killed). */
      status: number;
      /** True when the exit follows a `stop()` call. */
      requested: boolean;
      /** Set when the dyno could not be launched at all. */
      error?: string;
      /** The machine it ran on went away (a cluster node down): not the dyno's crash, so no back-off. */
      lost?: string;
    };

/** What a dyno's processes use, summed over all of them. */
export interface DynoUsage {
  /** Resident memory, in bytes. */
  rssBytes: number;
  /** CPU time (user + system) used since the dyno started, in seconds. */
  cpuSeconds: number;
}

export interface StopOptions {
  /** SIGKILL at once instead of SIGTERM first (boot timeout). */
  kill?: boolean;
}

export interface StopResult {
  /** True when processes outlived the stop timeout and were SIGKILLed (R12). */
  forced: boolean;
}

/**
 * Runs dynos. Implementations: `local` (child processes, plain or sandboxed),
 * `docker` (containers); later Swarm, Kubernetes. Drivers do what they are told and report
 * what they see; the reconciler alone decides what should run.
 */
export interface RuntimeDriver {
  readonly name: string;
  /** Drivers that span machines (`swarm`) tell about them; absent for single-machine drivers. */
  readonly cluster?: ClusterNodes;
  /**
   * Declarative drivers (`kubernetes`) run whole formations: the reconciler
   * hands them each app's desired state here instead of starting and stopping
   * formation dynos one by one (design/021). `start`/`stop` then serve
   * one-off dynos only. Absent for per-dyno drivers.
   */
  readonly formations?: DeclarativeFormations;
  /**
   * Why dynos cannot reach add-on servers on the platform host, with what to
   * configure; absent when they can. `addons:create` refuses such add-ons with it.
   */
  readonly hostedAddonsRefusal?: string;
  /** The artifact kind this driver runs: releases must carry it. */
  readonly runs: 'slug' | 'image';
  /**
   * Takes over what a previous server process on the same home left running,
   * so that a restart of the control plane does not restart dynos. Call once
   * before the first start. Adopted dynos appear in `list()` (as `up` once
   * they answer again) and report events like any other; what cannot be
   * adopted (its process gone, an attached client) is cleaned up.
   */
  adopt(): Promise<void>;
  /**
   * Prepares, once, the address where add-on servers must also listen so that
   * dynos reach them (null: 127.0.0.1 is enough, dynos share the host network).
   */
  servicesAddress(): Promise<ServicesAddress | null>;
  /** How this host supports the driver (`cupaas server --doctor`): one line per part, and whether it can run. */
  doctor(): Promise<DriverDoctorReport>;
  /**
   * Starts a dyno. It appears in `list()` at once as `starting`; readiness and
   * exits (including launch failures) are reported as events.
   */
  start(spec: DynoSpec): void;
  /** SIGTERM to every process of the dyno, SIGKILL after the stop timeout; resolves once all are gone. */
  stop(dynoId: string, opts?: StopOptions): Promise<StopResult>;
  list(): readonly ObservedDyno[];
  /** What the dyno uses now, for metrics; null when gone. Drivers that cannot measure leave it out. */
  usage?(dynoId: string): DynoUsage | null;
  subscribe(listener: (event: DynoEvent) => void): () => void;
  /** Stops every dyno (gracefully) and releases the driver's resources. */
  close(): Promise<void>;
}

/** One app's desired state as the reconciler hands it to a declarative driver. Everything it runs is in here. */
export interface FormationSpec {
  appId: string;
  appName: string;
  release: { id: string; version: number; artifact: DynoArtifact; config: Readonly<Record<string, string>>; healthCheckPath: string | null };
  /** Every process type of the release, scaled to 0 included (so the driver knows what to keep and what to prune). */
  processes: readonly { type: string; command: string; quantity: number; size: string }[];
  /** Hostnames the app answers to (default and custom domains). */
  hostnames: readonly string[];
  /** Epoch ms of the latest restart request per process type (`''`: every type): dynos older than it are replaced. */
  restarts: Readonly<Record<string, number>>;
}

export type FormationDynoState = 'starting' | 'up' | 'crashed' | 'stopping';

/** A dyno of a formation as the declarative driver observes it. */
export interface FormationDyno {
  /** Stable while the dyno lives (a pod's name). */
  id: string;
  /** `web.<suffix>`: a cluster does not number dynos like `web.1`. */
  name: string;
  processType: string;
  releaseId: string | null;
  releaseVersion: number | null;
  state: FormationDynoState;
  restarts: number;
  /** Heroku error code of the last failure (`R15`, `R10`), null when none. */
  code: string | null;
  /** What the runtime said about the last failure. */
  reason: string | null;
  /** Epoch ms the dyno was created. */
  since: number;
}

/** Whether the switch-over to the release the driver last applied has finished. */
export type FormationRollout = { state: 'progressing' } | { state: 'complete' } | { state: 'failed'; reason: string };

/** What a declarative driver observes of one app (adopted apps included). */
export interface FormationStatus {
  appId: string;
  /** The release the formation runs or rolls out to (null: not known yet). */
  releaseId: string | null;
  rollout: FormationRollout;
  dynos: readonly FormationDyno[];
  /** Where the platform's router may send the app's requests; empty when traffic reaches the app another way (an Ingress). */
  backends: readonly Backend[];
}

/**
 * The declarative facet of a runtime driver: it converges whole apps to the
 * desired state it is given and reports what it observes. The reconciler
 * still alone decides what is desired.
 */
export interface DeclarativeFormations {
  /** Converges the app to `spec` (idempotent); resolves once the runtime accepted it, not once it runs. */
  apply(spec: FormationSpec): Promise<void>;
  /** Removes everything the driver runs for an app nothing desires any more. */
  remove(appId: string): Promise<void>;
  /** The last observation of every app the driver runs, found by `adopt()` or applied since. */
  observe(): readonly FormationStatus[];
  /** Called after any observation changed. */
  subscribe(listener: () => void): () => void;
}

/** Where add-on servers listen besides 127.0.0.1, and the network dyno connections come from. */
export interface ServicesAddress {
  address: string;
  /** CIDR, for servers' access rules. */
  clients: string;
}

export interface DriverDoctorReport {
  /** False when the driver cannot run dynos on this host; `report` then says what to install or start. */
  ok: boolean;
  report: string;
}

/**
 * What every driver factory gets. Every driver reads `home`, `stackPath` and
 * `dyno`; the options of one driver (the local sandbox, the Docker engine)
 * are picked by its own factory in the registry and never reach the others.
 */
export interface RuntimeDriverDeps {
  config: Pick<Readonly<ResolvedConfig>, 'home' | 'stackPath' | 'dyno'> &
    Partial<Pick<Readonly<ResolvedConfig>, 'sandbox' | 'images' | 'swarm' | 'kubernetes'>>;
  /** Receives each line a dyno prints, as `app[web.1]`. */
  logs: LogSink;
  logger: Logger;
}

export type RuntimeDriverFactory = (deps: RuntimeDriverDeps) => RuntimeDriver;

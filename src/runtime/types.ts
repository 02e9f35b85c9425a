import type { ResolvedConfig } from '../config/index.js';
import type { LogSink } from '../domain/index.js';
import type { Logger } from '../shared/logger.js';

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
  /** The slug archive to run (`SHA256:<hex>`). */
  slugChecksum: string;
  /** The Procfile command, run by bash after the slug's profile scripts. */
  command: string;
  size: string;
  /** Config vars and dyno metadata (`DYNO`, `CUPAAS_APP`, ...); the driver adds `PORT` and `PATH`. */
  env: Readonly<Record<string, string>>;
  /** Web dynos get `$PORT` and count as up only once they accept connections on it. */
  web: boolean;
  /** When set, a web dyno is up only once `GET path` answers below 400. */
  healthCheckPath: string | null;
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
 * Runs dynos. Implementations: `local` (child processes), later sandboxed
 * local, Docker, Swarm, Kubernetes. Drivers do what they are told and report
 * what they see; the reconciler alone decides what should run.
 */
export interface RuntimeDriver {
  readonly name: string;
  /** Stops what a previous server process on the same home left running. Call once before the first start. */
  recover(): Promise<void>;
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

export interface RuntimeDriverDeps {
  config: Pick<Readonly<ResolvedConfig>, 'home' | 'stackPath' | 'dyno'> &
    /** Without it the local driver runs plain processes. */
    Partial<Pick<Readonly<ResolvedConfig>, 'sandbox'>>;
  /** Receives each line a dyno prints, as `app[web.1]`. */
  logs: LogSink;
  logger: Logger;
}

export type RuntimeDriverFactory = (deps: RuntimeDriverDeps) => RuntimeDriver;

import type { Backend, ConfigVars, ProcessRun, ReleaseStatus } from '../domain/index.js';
import type { DynoArtifact, ObservedDyno } from '../runtime/index.js';

/** One process type the current release declares, with its formation. */
export interface DesiredProcess {
  type: string;
  command: string;
  quantity: number;
  size: string;
  /** A Compose service's `environment:` (its image is the release's `processArtifacts` entry). */
  env?: ProcessRun['env'];
  /** Process types that must have an up dyno before this one's dynos start (Compose `depends_on`). */
  dependsOn?: readonly string[];
}

export interface DesiredRelease {
  id: string;
  version: number;
  status: ReleaseStatus;
  artifact: DynoArtifact;
  /** The artifacts of process types with an image of their own; the others (and one-off dynos) run `artifact`. */
  processArtifacts?: Readonly<Record<string, DynoArtifact>>;
  config: ConfigVars;
  /** Web dynos count as up only once `GET path` succeeds (null: accepting TCP is enough). */
  healthCheckPath: string | null;
}

/** What should run for one app. */
export interface DesiredApp {
  appId: string;
  appName: string;
  /** Null when the current release has no slug: nothing runs. */
  release: DesiredRelease | null;
  processes: readonly DesiredProcess[];
  /** Restart requests, epoch ms by target: '' (all), a process type, or a dyno name. */
  restarts: Readonly<Record<string, number>>;
}

/** The last crash of a dyno slot (`web.1` of an app), kept for back-off and for `ps`. */
export interface CrashRecord {
  dyno: ObservedDyno;
  /** Crashes in a row of this slot on this release. */
  count: number;
  exitedAt: number;
  /** Crashed before it ever was up: a boot failure. */
  beforeUp: boolean;
  reason: string;
}

export interface Observed {
  /** Running dynos; those asked to stop have state `stopping`. */
  dynos: readonly ObservedDyno[];
  crashes: readonly CrashRecord[];
  /** Dyno ids last given to the router, per app. */
  backends: ReadonlyMap<string, readonly string[]>;
}

export interface PlanSettings {
  bootTimeoutMs: number;
  crashBackoffBaseMs: number;
  crashBackoffMaxMs: number;
}

export type StopReason = 'replaced' | 'scaled-down' | 'boot-timeout' | 'not-desired' | 'duplicate';

export type Action =
  | { kind: 'release-status'; appId: string; releaseId: string; version: number; status: 'succeeded' | 'failed'; reason?: string }
  | { kind: 'route'; appId: string; backends: Backend[] }
  | { kind: 'start'; app: DesiredApp; release: DesiredRelease; process: DesiredProcess; name: string }
  | { kind: 'stop'; dyno: ObservedDyno; reason: StopReason; drain: boolean };

export interface Plan {
  actions: Action[];
  /** When the plan would change by time alone (a back-off ends, a boot times out). */
  wakeAt: number | null;
}

import type { AddonService } from '../addons/index.js';
import type { AppService } from '../apps/index.js';
import type { Autoscaler } from '../autoscale/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type { Sessions } from './http/index.js';
import type { DeployService, SourceBlobs } from '../deploy/index.js';
import type { PlatformEvent } from '../domain/index.js';
import type { LogBus, LogDrains, LogSessions } from '../logs/index.js';
import type { Metrics } from '../metrics/index.js';
import type { FormationService, NodeService, OneOffDynos, Reconciler } from '../reconciler/index.js';
import type { ReleaseService } from '../releases/index.js';
import type { RepoSync } from '../repo-sync/index.js';
import type { DomainService, SniEndpointService } from '../router/index.js';
import type { Scheduler } from '../scheduler/index.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';
import type { AccessPolicy } from './access.js';
import type { Authentication } from './authentication.js';

/** What the API's route modules may use: services, never drivers directly. */
export interface ApiContext {
  config: Readonly<ResolvedConfig>;
  store: Store;
  apps: AppService;
  releases: ReleaseService;
  events: EventBus<PlatformEvent>;
  logger: Logger;
  /** Builds and deploys (the Deployer), their output and the build cache. */
  deployer: DeployService;
  /** Uploaded source tarballs of the builds API. */
  sources: SourceBlobs;
  domains: DomainService;
  /** Apps' certificates for their custom domains. */
  sniEndpoints: SniEndpointService;
  logs: Pick<LogBus, 'recent' | 'tail'>;
  logSessions: LogSessions;
  /** Apps' log drains to outside collectors. */
  logDrains: Pick<LogDrains, 'list' | 'find' | 'add' | 'remove'>;
  repoSync: RepoSync;
  addons: AddonService;
  /** Desired quantity and size per process type, and restart requests. */
  formation: FormationService;
  /** Dynos as the reconciler observes them. */
  dynos: Pick<Reconciler, 'dynos'>;
  /** Per-app metrics and the Prometheus registry. */
  metrics: Pick<Metrics, 'series' | 'prometheus'>;
  /** Autoscaling policies (the autoscaler applies them). */
  autoscaler: Pick<Autoscaler, 'get' | 'set'>;
  /** The one access policy: who may do what to which app or team. */
  access: AccessPolicy;
  /** Tokens, passwords and invitation codes, with failed attempts throttled. */
  authentication: Authentication;
  /** One-off dynos (`run`): started and stopped on request, outside the formation. */
  oneOffs: Pick<OneOffDynos, 'start' | 'stop'>;
  /** Apps' scheduled jobs. */
  scheduler: Pick<Scheduler, 'list' | 'add' | 'remove'>;
  /** Dashboard logins (cookie + CSRF token), in memory. */
  sessions: Sessions;
  /** The cluster's machines; null on single-machine runtimes. */
  nodes: NodeService | null;
}

import type { AddonService } from '../addons/index.js';
import type { AppService } from '../apps/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type { DeployService, SourceBlobs } from '../deploy/index.js';
import type { PlatformEvent } from '../domain/index.js';
import type { LogBus, LogDrains, LogSessions } from '../logs/index.js';
import type { FormationService, NodeService, Reconciler } from '../reconciler/index.js';
import type { ReleaseService } from '../releases/index.js';
import type { RepoSync } from '../repo-sync/index.js';
import type { DomainService } from '../router/index.js';
import type { EventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';

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
  /** The cluster's machines; null on single-machine runtimes. */
  nodes: NodeService | null;
}

import type { AppService } from '../apps/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type { PlatformEvent } from '../domain/index.js';
import type { ReleaseService } from '../releases/index.js';
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
}

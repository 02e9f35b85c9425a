import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApi, type ApiContext } from '../api/index.js';
import { createAppService } from '../apps/index.js';
import type { ResolvedConfig } from '../config/index.js';
import type { PlatformEvent } from '../domain/index.js';
import { createReleaseService } from '../releases/index.js';
import { createEventBus } from '../shared/events.js';
import type { Logger } from '../shared/logger.js';
import { openStore } from '../store/index.js';
import { ensureAdmin } from './bootstrap.js';
import { listen } from './http-server.js';
import { acquireHomeLock } from './lock.js';

export interface RunningPlatform {
  apiUrl: string;
  apiPort: number;
  stop(): Promise<void>;
}

/**
 * Wires every subsystem together: the one place that picks implementations.
 * Order matters on the way up (store before services before listeners) and is
 * reversed on the way down.
 */
export async function startPlatform(config: Readonly<ResolvedConfig>, logger: Logger): Promise<RunningPlatform> {
  mkdirSync(config.home, { recursive: true, mode: 0o700 });
  const releaseLock = acquireHomeLock(join(config.home, 'server.pid'));
  const stops: Array<() => Promise<void> | void> = [releaseLock];
  try {
    const store = openStore({ dbPath: config.dbPath, secretKeyPath: config.secretKeyPath });
    stops.unshift(() => store.close());
    const events = createEventBus<PlatformEvent>();
    const releases = createReleaseService({ store, events });
    const apps = createAppService({ store, releases, events, teardowns: [], logger });
    ensureAdmin(store, config, logger);

    const ctx: ApiContext = { config, store, apps, releases, events, logger };
    const api = await listen(createApi(ctx), config.listen, config.apiPort);
    stops.unshift(() => api.close());

    const apiUrl = config.publicApiUrl.replace(/:\d+$/, `:${api.port}`);
    writeFileSync(join(config.home, 'server.json'), JSON.stringify({ pid: process.pid, apiUrl }, null, 2) + '\n');
    logger.info('cupaas server listening', { api: apiUrl, home: config.home });
    return {
      apiUrl,
      apiPort: api.port,
      stop: async () => {
        for (const stop of stops.splice(0)) await stop();
      },
    };
  } catch (e) {
    for (const stop of stops.splice(0)) await stop();
    throw e;
  }
}

import type { LogSink, PlatformEvent } from '../domain/index.js';
import type { EventBus } from '../shared/events.js';
import type { Store } from '../store/index.js';
import type { LogBus } from './bus.js';

export interface ApiEventDeps {
  events: Pick<EventBus<PlatformEvent>, 'subscribe'>;
  logs: LogSink & Pick<LogBus, 'forget'>;
  store: { releases: Pick<Store['releases'], 'get'>; users: Pick<Store['users'], 'get'> };
}

/** What `heroku[api]` says about an event, if anything. */
function describe(e: PlatformEvent, byUser: (appId: string, version: number) => string): string[] {
  switch (e.type) {
    case 'release.created':
      return [`${e.description}${byUser(e.appId, e.version)}`, `Release v${e.version} created${byUser(e.appId, e.version)}`];
    case 'release.status':
      return e.status === 'failed' ? [`Release v${e.version} failed${e.reason ? `: ${e.reason}` : ''}`] : [];
    case 'formation.changed':
      return [`Scaled to ${e.processType}@${e.quantity}:${e.size}${e.by ? ` by ${e.by}` : ''}`];
    case 'dyno.restart-requested': {
      const t = e.target;
      return [`Restart ${'all' in t ? 'all dynos' : 'processType' in t ? `${t.processType} dynos` : t.dynoName}`];
    }
    case 'build.started':
      return [`Build ${e.buildId} started`];
    case 'build.finished':
      return [`Build ${e.buildId} ${e.status}`];
    case 'app.renamed':
      return [`Rename from ${e.previousName} to ${e.appName}`];
    default:
      return [];
  }
}

/**
 * Writes `heroku[api]` lines for what users and the platform change (releases,
 * scaling, restarts, builds), so `cupaas logs` tells the whole story. Returns
 * the unsubscribe function.
 */
export function logPlatformEvents({ events, logs, store }: ApiEventDeps): () => void {
  const byUser = (appId: string, version: number): string => {
    const userId = store.releases.get(appId, version)?.userId;
    const email = userId ? store.users.get(userId)?.email : undefined;
    return email ? ` by user ${email}` : '';
  };
  return events.subscribe((e) => {
    if (e.type === 'app.destroyed') return logs.forget(e.appId);
    for (const message of describe(e, byUser)) logs.write(e.appId, { source: 'heroku', process: 'api', message });
  });
}

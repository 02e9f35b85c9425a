import type { BuildInfo, DynoInfo } from '../../src/domain/index.js';
import { appPath, get } from './api.js';

export type AppState = 'deploying' | 'crashed' | 'running' | 'starting' | 'idle';

/** The apps page's one-word state, the way Heroku's dashboard summarises an app. */
export function stateOf(dynos: readonly DynoInfo[], latestBuild: BuildInfo | undefined): AppState {
  if (latestBuild?.status === 'pending') return 'deploying';
  if (dynos.some((d) => d.state === 'crashed')) return 'crashed';
  if (dynos.some((d) => d.state === 'up')) return 'running';
  if (dynos.some((d) => d.state === 'starting')) return 'starting';
  return 'idle';
}

export async function loadState(app: string): Promise<AppState> {
  const [dynos, builds] = await Promise.all([
    get<DynoInfo[]>(appPath(app, '/dynos')),
    get<BuildInfo[]>(appPath(app, '/builds'), 'created_at ..; max=1, order=desc'),
  ]);
  return stateOf(dynos, builds[0]);
}

/** Runs `fn` over `items`, at most `limit` at a time (fifty apps must not mean fifty requests at once). */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T).catch(() => {});
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

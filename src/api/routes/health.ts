import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';

/** Unauthenticated liveness check for supervisors and `cupaas up`. */
export function healthRoutes(_ctx: ApiContext): Route[] {
  return [{ method: 'GET', path: '/health', access: 'public', handler: async () => ({ body: { status: 'ok' } }) }];
}

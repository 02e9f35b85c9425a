import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { userJson } from '../shapes.js';

export function accountRoutes(_ctx: ApiContext): Route[] {
  return [{ method: 'GET', path: '/account', access: 'user', handler: async (req) => ({ body: userJson(req.user) }) }];
}

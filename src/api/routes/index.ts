import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { accountRoutes } from './account.js';
import { appRoutes } from './apps.js';
import { configVarRoutes } from './config-vars.js';
import { releaseRoutes } from './releases.js';

/** Every Platform API route. A new resource adds one module and one line here. */
export function allRoutes(ctx: ApiContext): Route[] {
  return [accountRoutes, appRoutes, configVarRoutes, releaseRoutes].flatMap((make) => make(ctx));
}

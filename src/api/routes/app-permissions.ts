import { APP_ROLES, ROLE_NEEDED, type AppAction, type AppPermissionsInfo } from '../../domain/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

const ACTIONS = Object.keys(ROLE_NEEDED) as AppAction[];

/** The caller's own role on an app, from the one access policy: clients show only the controls it allows. */
export function appPermissionRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/permissions',
      access: 'app:read',
      handler: async (req) => {
        // A platform admin has no role on the app but may do everything to it.
        const role = req.user.role === 'admin' ? 'admin' : (ctx.access.roleOn(req.user, appFor(req)) ?? 'viewer');
        const can = Object.fromEntries(ACTIONS.map((a) => [a, APP_ROLES.indexOf(role) >= APP_ROLES.indexOf(ROLE_NEEDED[a])]));
        const body: AppPermissionsInfo = { role, can: can as AppPermissionsInfo['can'] };
        return { body };
      },
    },
  ];
}

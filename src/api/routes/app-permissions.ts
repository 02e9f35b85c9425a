import { ROLE_NEEDED, type AppAction, type AppPermissionsInfo } from '../../domain/index.js';
import type { ApiContext } from '../context.js';
import type { Route } from '../http/index.js';
import { appFor } from './app-access.js';

const ACTIONS = Object.keys(ROLE_NEEDED) as AppAction[];

/** The caller's own role on an app, asked of the one access policy: clients show only the controls it allows. */
export function appPermissionRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/apps/:app/permissions',
      access: 'app:read',
      handler: async (req) => {
        const app = appFor(req);
        const allowed = (action: AppAction) => {
          try {
            ctx.access.app(req.user, app.id, action);
            return true;
          } catch {
            return false;
          }
        };
        const can = Object.fromEntries(ACTIONS.map((a) => [a, allowed(a)])) as AppPermissionsInfo['can'];
        // The highest role whose actions are all allowed (a platform admin may do everything: admin).
        const role = can.manage ? 'admin' : can.deploy ? 'member' : 'viewer';
        const body: AppPermissionsInfo = { role, can };
        return { body };
      },
    },
  ];
}

import {
  decide, teamRelation, type Access, type App, type AppAction, type AppRelation, type AppRole,
  type Team, type User,
} from '../domain/index.js';
import { notFound, PlatformError } from '../shared/errors.js';
import type { Store } from '../store/index.js';

/**
 * The access policy applied to stored facts: every route's `access`, git
 * push/fetch and log sessions ask here, and the pure `decide` answers.
 */
export function createAccessPolicy(store: Pick<Store, 'apps' | 'teams' | 'collaborators'>) {
  const relation = (user: User, app: App): AppRelation => ({
    platformRole: user.role,
    isOwner: app.ownerId === user.id,
    teamRole: app.teamId ? store.teams.roleOf(app.teamId, user.id) : null,
    collaboratorRole: store.collaborators.roleOf(app.id, user.id),
  });

  /** A 403 carries the app it was about, so the audit trail can file the refused attempt under it. */
  const denied = (what: string, key: string, needed: AppRole, status: 404 | 403, about?: App) =>
    status === 404
      ? notFound(what, key)
      : new PlatformError(
          'forbidden',
          `You need the ${needed} role on the ${what} ${key} to do this. Ask one of its admins (\`${what === 'app' ? `cupaas access -a ${key}` : `cupaas members -t ${key}`}\` lists them).`,
          about ? { app: about } : undefined,
        );

  /** The app, if `user` may do `action` to it: 404 when they have no role on it (as for no app at all), 403 when too low. */
  const app = (user: User, key: string, action: AppAction): App => {
    const found = store.apps.find(key);
    if (!found) throw notFound('app', key);
    const d = decide(relation(user, found), action);
    if (!d.allowed) throw denied('app', found.name, d.roleNeeded, d.status, found);
    return found;
  };

  const team = (user: User, key: string, action: AppAction): Team => {
    const found = store.teams.find(key);
    if (!found) throw notFound('team', key);
    const d = decide(teamRelation(user.role, store.teams.roleOf(found.id, user.id)), action);
    if (!d.allowed) throw denied('team', found.name, d.roleNeeded, d.status);
    return found;
  };

  const visibleApps = (user: User): App[] => store.apps.list().filter((a) => decide(relation(user, a), 'read').allowed);

  return {
    app,
    team,
    /** Whether the user may read the team (teams they are not in do not exist for them). */
    seesTeam: (user: User, t: Team): boolean => decide(teamRelation(user.role, store.teams.roleOf(t.id, user.id)), 'read').allowed,
    /** Every app the user may read: what `GET /apps` lists. */
    visibleApps,
    /** Which audit events the user may read: all for a platform admin, else their apps' and their own. */
    auditScope: (user: User): { appIds?: string[]; userIds?: string[] } =>
      user.role === 'admin' ? {} : { appIds: visibleApps(user).map((a) => a.id), userIds: [user.id] },
    /** What a route's `access` declares, checked; returns the app or team it names. */
    authorize(access: Access, user: User, params: Readonly<Record<string, string>>): { app?: App; team?: Team } {
      if (access === 'public' || access === 'user') return {};
      if (access === 'platform-admin') {
        if (user.role !== 'admin') throw new PlatformError('forbidden', 'Only a platform admin may do this.');
        return {};
      }
      const [kind, action] = access.split(':') as ['app' | 'team', AppAction];
      const key = params[kind];
      if (key === undefined) throw new PlatformError('internal_error', `Route declares ${access} but has no :${kind} in its path.`);
      return kind === 'app' ? { app: app(user, key, action) } : { team: team(user, key, action) };
    },
  };
}

export type AccessPolicy = ReturnType<typeof createAccessPolicy>;

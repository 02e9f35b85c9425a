/**
 * Who may do what: the one access policy. Pure: callers pass what they know
 * about the caller's relation to an app (owner, team role, collaborator role)
 * and get a decision. Viewers read, members deploy and change config, admins
 * manage access and destroy; an app the caller has no relation to does not
 * exist for them (404), an action beyond their role is 403 naming the role.
 */

export type PlatformRole = 'admin' | 'member';

/** A caller's role on one app, from ownership, a team or a collaborator grant; ordered low to high. */
export const APP_ROLES = ['viewer', 'member', 'admin'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** What a request does to an app. Each maps to the lowest role allowed to do it. */
export type AppAction = 'read' | 'deploy' | 'manage' | 'destroy';

export const ROLE_NEEDED: Readonly<Record<AppAction, AppRole>> = {
  read: 'viewer',
  deploy: 'member',
  manage: 'admin',
  destroy: 'admin',
};

/** What a route needs, declared on every route: checked before its handler runs. */
export type Access =
  /** No API key: the handler proves a secret of its own (git, webhooks, log URLs, uploads) or serves public data. */
  | 'public'
  /** Any signed-in user; the handler shows only what the policy lets them read. */
  | 'user'
  /** A platform admin (accounts, every app). */
  | 'platform-admin'
  /** An action on the app named by the path's `:app`. */
  | `app:${AppAction}`
  /** An action on the team named by the path's `:team` (viewers read, members create apps, admins manage). */
  | `team:${AppAction}`;

/** What is known about one caller and one app. */
export interface AppRelation {
  platformRole: PlatformRole;
  isOwner: boolean;
  /** The caller's role in the team that owns the app, if any. */
  teamRole: AppRole | null;
  /** The caller's collaborator grant on the app, if any. */
  collaboratorRole: AppRole | null;
}

export type Decision = { allowed: true; role: AppRole } | { allowed: false; status: 404 | 403; roleNeeded: AppRole };

const rank = (r: AppRole): number => APP_ROLES.indexOf(r);

/** The caller's effective role on an app: the highest of every grant, or null when they have none. */
export function effectiveRole(rel: AppRelation): AppRole | null {
  if (rel.platformRole === 'admin' || rel.isOwner) return 'admin';
  const grants = [rel.teamRole, rel.collaboratorRole].filter((r): r is AppRole => r !== null);
  return grants.length ? grants.reduce((a, b) => (rank(a) >= rank(b) ? a : b)) : null;
}

/** The one decision: may this caller do `action` to this app? */
export function decide(rel: AppRelation, action: AppAction): Decision {
  const role = effectiveRole(rel);
  const roleNeeded = ROLE_NEEDED[action];
  if (role === null) return { allowed: false, status: 404, roleNeeded };
  if (rank(role) < rank(roleNeeded)) return { allowed: false, status: 403, roleNeeded };
  return { allowed: true, role };
}

/** The relation of a caller to a team itself (not to one of its apps). */
export const teamRelation = (platformRole: PlatformRole, teamRole: AppRole | null): AppRelation => ({
  platformRole, isOwner: false, teamRole, collaboratorRole: null,
});

export interface Team {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface TeamMember {
  teamId: string;
  userId: string;
  email: string;
  role: AppRole;
  createdAt: string;
  updatedAt: string;
}

export interface Collaborator {
  id: string;
  appId: string;
  userId: string;
  email: string;
  role: AppRole;
  createdAt: string;
  updatedAt: string;
}

/** An API token (Heroku's OAuth authorization); the token itself is shown once and stored only as a digest. */
export interface Authorization {
  id: string;
  userId: string;
  description: string;
  createdAt: string;
  expiresAt: string | null;
}

/** Where a state-changing request came from. */
export type AuditSource = 'api' | 'cli' | 'dashboard' | 'git' | 'webhook';

/** One line of the audit trail: who did what, when and from where. Never holds secrets or config values. */
export interface AuditEvent {
  id: string;
  createdAt: string;
  userId: string | null;
  userEmail: string | null;
  appId: string | null;
  appName: string | null;
  /** `METHOD /route/pattern`, e.g. `PATCH /apps/:app/config-vars`. */
  action: string;
  /** A safe summary (config var names, never values). */
  detail: string | null;
  status: number;
  source: AuditSource;
  address: string | null;
}

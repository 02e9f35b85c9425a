import { appWebUrl, type ResolvedConfig } from '../config/index.js';
import type { App, AppInfo, OciImage, Release, ReleaseInfo, Team, User } from '../domain/index.js';

/** The local "region" and stack every app reports, in Heroku's shapes. */
export const REGION = { id: '00000000-0000-4000-8000-000000000001', name: 'local' } as const;
export const STACK = { id: '00000000-0000-4000-8000-000000000024', name: 'cupaas-24' } as const;

export const appRef = (app: Pick<App, 'id' | 'name'>) => ({ id: app.id, name: app.name });

export function userJson(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    last_login: null,
    verified: true,
    two_factor_authentication: false,
    beta: false,
    allow_tracking: false,
    federated: false,
    /** cupaas: `admin` runs the platform, `member` sees the apps shared with them. */
    role: user.role,
    default_team: null,
    suspended_at: null,
    delinquent_at: null,
  };
}

export function appJson(
  app: App,
  extra: {
    owner?: User; team?: Team; releasedAt: string | null;
    config: Pick<ResolvedConfig, 'baseDomain' | 'routerPort' | 'publicApiUrl'> & Partial<Pick<ResolvedConfig, 'runtimeDriver' | 'kubernetes'>>;
  },
) {
  return {
    id: app.id,
    name: app.name,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    released_at: extra.releasedAt,
    web_url: appWebUrl(extra.config, app.name),
    git_url: `${extra.config.publicApiUrl}/${app.name}.git`,
    deploy_branch: app.deployBranch,
    maintenance: app.maintenance,
    owner: extra.owner ? { id: extra.owner.id, email: extra.owner.email } : null,
    region: REGION,
    stack: STACK,
    build_stack: STACK,
    acm: false,
    archived_at: null,
    buildpack_provided_description: null,
    internal_routing: null,
    organization: null,
    team: extra.team ? { id: extra.team.id, name: extra.team.name } : null,
    space: null,
    repo_size: null,
    slug_size: null,
    generation: { id: '00000000-0000-4000-8000-0000000000ce', name: 'cedar' },
  };
}

export function releaseJson(
  release: Release, app: App, currentVersion: number | undefined, user?: Pick<User, 'id' | 'email'>,
  /** The release's pushed image (Heroku's `oci_image`: `id` the manifest digest; `ref` cupaas's tag), once pushed. */
  ociImage: OciImage | null = null,
) {
  return {
    id: release.id,
    version: release.version,
    description: release.description,
    status: release.status,
    status_reason: release.statusReason,
    current: release.version === currentVersion,
    eligible_for_rollback: release.slugId !== null,
    slug: release.slugId ? { id: release.slugId } : null,
    artifacts: [
      ...(release.slugId ? [{ type: 'slug', id: release.slugId }] : []),
      ...(ociImage ? [{ type: 'oci-image', id: ociImage.id }] : []),
    ],
    oci_image: ociImage,
    addon_plan_names: [],
    services: release.services,
    output_stream_url: null,
    user: release.userId ? { id: release.userId, email: user?.email ?? null } : null,
    app: appRef(app),
    created_at: release.createdAt,
    updated_at: release.updatedAt,
  };
}

// The serializers must produce what the shared schema promises the CLI and the dashboard.
appJson satisfies (...args: never[]) => AppInfo;
releaseJson satisfies (...args: never[]) => ReleaseInfo;

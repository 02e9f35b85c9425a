/**
 * The Platform API's JSON shapes as its clients read them: one zod schema per
 * resource, the types inferred from it. The API's serializers are checked
 * against these types, the CLI and the dashboard import them, so none of the
 * three can drift from the others. Schemas list what clients read; responses
 * carry more of Heroku's fields, which parsing ignores.
 */
import * as z from 'zod';

const Ref = z.object({ id: z.string(), name: z.string() });

export const AppInfo = z.object({
  id: z.string(),
  name: z.string(),
  web_url: z.string(),
  git_url: z.string(),
  deploy_branch: z.string(),
  maintenance: z.boolean(),
  owner: z.object({ email: z.string() }).nullable(),
  team: z.object({ name: z.string() }).nullable(),
  region: z.object({ name: z.string() }),
  stack: z.object({ name: z.string() }),
  released_at: z.string().nullable(),
  created_at: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const ReleaseInfo = z.object({
  id: z.string(),
  version: z.number(),
  description: z.string(),
  status: z.string(),
  status_reason: z.string().nullable(),
  current: z.boolean(),
  user: z.object({ id: z.string(), email: z.string().nullable().optional() }).nullable(),
  slug: z.object({ id: z.string() }).nullable(),
  /** The release image: `id` its digest, `ref` the pullable `REGISTRY/APP:vN`. */
  oci_image: z.object({ id: z.string(), ref: z.string() }).nullable().optional(),
  created_at: z.string(),
});
export type ReleaseInfo = z.infer<typeof ReleaseInfo>;

export const AccountInfo = z.object({ id: z.string(), email: z.string(), name: z.string() });
export type AccountInfo = z.infer<typeof AccountInfo>;

export const DomainInfo = z.object({
  id: z.string(),
  hostname: z.string(),
  kind: z.enum(['heroku', 'custom']),
  cname: z.string().nullable(),
  status: z.string(),
  created_at: z.string(),
});
export type DomainInfo = z.infer<typeof DomainInfo>;

export const LogSessionInfo = z.object({ id: z.string(), logplex_url: z.string() });
export type LogSessionInfo = z.infer<typeof LogSessionInfo>;

/** `GET /apps/{app}/repo`: a connected repository, never with its credential or webhook secret. */
export const RepoConnectionInfo = z.object({
  url: z.string(),
  branch: z.string(),
  poll_interval: z.number(),
  credential: z.object({ type: z.enum(['token', 'ssh-key']), public_key: z.string().optional() }).nullable(),
  webhook_url: z.string(),
  last_seen_sha: z.string().nullable(),
  last_error: z.string().nullable(),
  last_checked_at: z.string().nullable(),
  building_sha: z.string().nullable(),
  next_sha: z.string().nullable(),
});
export type RepoConnectionInfo = z.infer<typeof RepoConnectionInfo>;

/** `PUT /apps/{app}/repo` adds the secret (shown once) and the first deploy. */
export const RepoConnectResult = RepoConnectionInfo.extend({
  webhook_secret: z.string(),
  deploy: z.union([
    z.object({ sha: z.string(), status: z.enum(['started', 'queued', 'duplicate']) }),
    z.object({ error: z.string() }),
  ]),
});
export type RepoConnectResult = z.infer<typeof RepoConnectResult>;

/** `GET /apps/{app}/builds[/{id}]`. */
export const BuildInfo = z.object({
  id: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  source_blob: z.object({
    url: z.string().nullable(),
    checksum: z.string().nullable(),
    version: z.string().nullable(),
    version_description: z.string().nullable(),
  }),
  output_stream_url: z.string(),
  release: z.object({ id: z.string() }).nullable(),
  slug: z.object({ id: z.string() }).nullable(),
  trigger: z.string(),
  failure_reason: z.string().nullable(),
  user: z.object({ id: z.string(), email: z.string().nullable() }).nullable(),
  created_at: z.string(),
});
export type BuildInfo = z.infer<typeof BuildInfo>;

/** `GET /apps/{app}/addons/{addon}`: an add-on; config var names only. */
export const AddonInfo = z.object({
  id: z.string(),
  name: z.string(),
  addon_service: z.object({ name: z.string() }),
  plan: z.object({ name: z.string() }),
  app: z.object({ name: z.string() }),
  attachment: z.object({ name: z.string() }),
  config_vars: z.array(z.string()),
  state: z.string(),
  created_at: z.string(),
  health: z.object({ ok: z.boolean(), detail: z.string() }).optional(),
  release: z.object({ version: z.number() }).nullable().optional(),
  final_backup: z.object({ name: z.string(), path: z.string() }).nullable().optional(),
});
export type AddonInfo = z.infer<typeof AddonInfo>;

export const AddonServiceInfo = z.object({
  name: z.string(),
  human_name: z.string(),
  description: z.string(),
  plans: z.array(z.object({ name: z.string() })),
  available: z.boolean(),
  unavailable_reason: z.string().nullable(),
});
export type AddonServiceInfo = z.infer<typeof AddonServiceInfo>;

export const AddonBackupInfo = z.object({ id: z.string(), name: z.string(), size: z.number(), created_at: z.string() });
export type AddonBackupInfo = z.infer<typeof AddonBackupInfo>;

export const FormationInfo = z.object({
  id: z.string(),
  type: z.string(),
  command: z.string(),
  quantity: z.number(),
  size: z.string(),
});
export type FormationInfo = z.infer<typeof FormationInfo>;

export const DynoInfo = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  state: z.string(),
  command: z.string(),
  size: z.string(),
  isolation: z.string(),
  /** The cluster node (swarm runtime), else null. */
  node: z.string().nullable(),
  /** Why it is still starting (the cluster's word) or crashed; absent from older servers. */
  state_reason: z.string().nullable().optional(),
  release: z.object({ id: z.string(), version: z.number() }),
  updated_at: z.string(),
});
export type DynoInfo = z.infer<typeof DynoInfo>;

/** `GET /nodes`: a machine of the cluster (swarm runtime). */
export const NodeInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(['manager', 'worker']),
  leader: z.boolean(),
  state: z.string(),
  availability: z.string(),
  address: z.string().nullable(),
  cpus: z.number(),
  memory_mb: z.number(),
  dynos: z.array(z.object({ app: z.object({ id: z.string(), name: z.string() }), name: z.string() })),
});
export type NodeInfo = z.infer<typeof NodeInfo>;

/** `GET /nodes/join-command`: what a new machine runs to join. */
export const JoinCommandInfo = z.object({
  token: z.string(),
  managers: z.array(z.string()),
  /** The registry nodes pull release images from (`host:port`), or null when the platform's own is on loopback only. */
  registry: z.string().nullable(),
});
export type JoinCommandInfo = z.infer<typeof JoinCommandInfo>;

/** One minute of one process type's metrics (`GET /apps/{app}/metrics`). */
export const MetricsPoint = z.object({
  /** ISO start of the minute. */
  time: z.string(),
  process_type: z.string(),
  requests: z.number(),
  /** Requests per second over the minute. */
  rps: z.number(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  p99_ms: z.number().nullable(),
  /** `2xx` → count; router errors count under their H-code too. */
  statuses: z.record(z.string(), z.number()),
  h_codes: z.record(z.string(), z.number()),
  /** Largest resident memory of a dyno of this type seen in the minute, in MB. */
  memory_mb: z.number().nullable(),
  /** CPU used over the minute by all dynos of this type, in percent of one core. */
  cpu_percent: z.number().nullable(),
  restarts: z.number(),
});
export type MetricsPoint = z.infer<typeof MetricsPoint>;

export const MetricsInfo = z.object({
  app: Ref,
  resolution_seconds: z.number(),
  points: z.array(MetricsPoint),
});
export type MetricsInfo = z.infer<typeof MetricsInfo>;

/** `GET|PUT /apps/{app}/formation/{type}/autoscaling`: Heroku's response-time autoscaling. */
export const AutoscalingInfo = z.object({
  process_type: z.string(),
  enabled: z.boolean(),
  min_quantity: z.number(),
  max_quantity: z.number(),
  p95_target_ms: z.number(),
  last_scaled_at: z.string().nullable(),
  updated_at: z.string(),
});
export type AutoscalingInfo = z.infer<typeof AutoscalingInfo>;

/** The dashboard's session (`POST|GET /session`): the CSRF token to send as `X-CSRF-Token`. */
export const SessionInfo = z.object({
  user: z.object({ id: z.string(), email: z.string() }),
  csrf_token: z.string(),
  expires_at: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** `GET /apps/{app}/permissions`: the caller's role on the app and what it allows (the dashboard hides what it does not). */
export const AppPermissionsInfo = z.object({
  role: z.enum(['viewer', 'member', 'admin']),
  can: z.object({ read: z.boolean(), deploy: z.boolean(), manage: z.boolean(), destroy: z.boolean() }),
});
export type AppPermissionsInfo = z.infer<typeof AppPermissionsInfo>;

export const UserInfo = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'member']),
  password_set: z.boolean(),
  invitation_code: z.string().optional(),
});
export type UserInfo = z.infer<typeof UserInfo>;

export const AuthorizationInfo = z.object({
  id: z.string(),
  description: z.string(),
  created_at: z.string(),
  access_token: z.object({ token: z.string().nullable(), expires_in: z.number().nullable() }),
});
export type AuthorizationInfo = z.infer<typeof AuthorizationInfo>;

export const CollaboratorInfo = z.object({ id: z.string(), role: z.string(), user: z.object({ id: z.string(), email: z.string() }) });
export type CollaboratorInfo = z.infer<typeof CollaboratorInfo>;

export const TeamInfo = z.object({ id: z.string(), name: z.string(), role: z.string().nullable() });
export type TeamInfo = z.infer<typeof TeamInfo>;

export const TeamMemberInfo = z.object({ role: z.string(), user: z.object({ id: z.string(), email: z.string() }) });
export type TeamMemberInfo = z.infer<typeof TeamMemberInfo>;

export const AuditEventInfo = z.object({
  id: z.string(),
  created_at: z.string(),
  user: z.object({ email: z.string() }).nullable(),
  app: z.object({ name: z.string() }).nullable(),
  action: z.string(),
  detail: z.string().nullable(),
  status: z.number(),
  source: z.string(),
  address: z.string().nullable(),
});
export type AuditEventInfo = z.infer<typeof AuditEventInfo>;

/** The API's JSON shapes, as far as the CLI reads them. */
export interface AppInfo {
  id: string;
  name: string;
  web_url: string;
  git_url: string;
  deploy_branch: string;
  maintenance: boolean;
  owner: { email: string } | null;
  team: { name: string } | null;
  region: { name: string };
  stack: { name: string };
  released_at: string | null;
  created_at: string;
}

export interface ReleaseInfo {
  id: string;
  version: number;
  description: string;
  status: string;
  status_reason: string | null;
  current: boolean;
  user: { id: string; email?: string } | null;
  slug: { id: string } | null;
  /** The release image: `id` its digest, `ref` the pullable `REGISTRY/APP:vN`. */
  oci_image?: { id: string; ref: string } | null;
  created_at: string;
}

export interface AccountInfo {
  id: string;
  email: string;
  name: string;
}

export interface DomainInfo {
  id: string;
  hostname: string;
  kind: 'heroku' | 'custom';
  cname: string | null;
  status: string;
  created_at: string;
}

export interface LogSessionInfo {
  id: string;
  logplex_url: string;
}

/** `GET /apps/{app}/repo`: a connected repository, never with its credential or webhook secret. */
export interface RepoConnectionInfo {
  url: string;
  branch: string;
  poll_interval: number;
  credential: { type: 'token' | 'ssh-key'; public_key?: string } | null;
  webhook_url: string;
  last_seen_sha: string | null;
  last_error: string | null;
  last_checked_at: string | null;
  building_sha: string | null;
  next_sha: string | null;
}

/** `PUT /apps/{app}/repo` adds the secret (shown once) and the first deploy. */
export interface RepoConnectResult extends RepoConnectionInfo {
  webhook_secret: string;
  deploy: { sha: string; status: 'started' | 'queued' | 'duplicate' } | { error: string };
}

/** `GET /apps/{app}/builds[/{id}]`, as the CLI reads it. */
export interface BuildInfo {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  source_blob: { url: string | null; checksum: string | null; version: string | null; version_description: string | null };
  output_stream_url: string;
  release: { id: string } | null;
  slug: { id: string } | null;
  trigger: string;
  failure_reason: string | null;
  user: { id: string; email: string | null } | null;
  created_at: string;
}

/** `GET /apps/{app}/addons/{addon}`: an add-on; config var names only. */
export interface AddonInfo {
  id: string;
  name: string;
  addon_service: { name: string };
  plan: { name: string };
  app: { name: string };
  attachment: { name: string };
  config_vars: string[];
  state: string;
  created_at: string;
  health?: { ok: boolean; detail: string };
  release?: { version: number } | null;
  final_backup?: { name: string; path: string } | null;
}

export interface AddonServiceInfo {
  name: string;
  human_name: string;
  description: string;
  plans: { name: string }[];
  available: boolean;
  unavailable_reason: string | null;
}

export interface AddonBackupInfo {
  id: string;
  name: string;
  size: number;
  created_at: string;
}

export interface FormationInfo {
  id: string;
  type: string;
  command: string;
  quantity: number;
  size: string;
}

export interface DynoInfo {
  id: string;
  name: string;
  type: string;
  state: string;
  command: string;
  size: string;
  isolation: string;
  release: { id: string; version: number };
  updated_at: string;
}

export interface UserInfo {
  id: string;
  email: string;
  role: 'admin' | 'member';
  password_set: boolean;
  invitation_code?: string;
}

export interface AuthorizationInfo {
  id: string;
  description: string;
  created_at: string;
  access_token: { token: string | null; expires_in: number | null };
}

export interface CollaboratorInfo {
  id: string;
  role: string;
  user: { id: string; email: string };
}

export interface TeamInfo {
  id: string;
  name: string;
  role: string | null;
}

export interface TeamMemberInfo {
  role: string;
  user: { id: string; email: string };
}

export interface AuditEventInfo {
  id: string;
  created_at: string;
  user: { email: string } | null;
  app: { name: string } | null;
  action: string;
  detail: string | null;
  status: number;
  source: string;
  address: string | null;
}

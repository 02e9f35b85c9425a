/** The API's JSON shapes, as far as the CLI reads them. */
export interface AppInfo {
  id: string;
  name: string;
  web_url: string;
  git_url: string;
  deploy_branch: string;
  maintenance: boolean;
  owner: { email: string } | null;
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
  /** The cluster node (swarm runtime), else null. */
  node: string | null;
  release: { id: string; version: number };
  updated_at: string;
}

export interface NodeInfo {
  id: string;
  name: string;
  role: 'manager' | 'worker';
  leader: boolean;
  state: string;
  availability: string;
  address: string | null;
  cpus: number;
  memory_mb: number;
  dynos: Array<{ app: { id: string; name: string }; name: string }>;
}

export interface JoinCommandInfo {
  token: string;
  managers: string[];
  /** The registry nodes pull release images from (`host:port`), or null when the platform's own is on loopback only. */
  registry: string | null;
}

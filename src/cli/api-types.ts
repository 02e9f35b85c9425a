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
  created_at: string;
}

export interface AccountInfo {
  id: string;
  email: string;
  name: string;
}

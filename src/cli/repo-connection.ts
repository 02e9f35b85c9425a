import type { RepoConnectionInfo } from './api-types.js';
import type { ApiClient } from './client.js';
import { CliError } from './errors.js';

/** The app's connected repository, or null when it has none. */
export async function repoConnection(api: ApiClient, app: string): Promise<RepoConnectionInfo | null> {
  try {
    return await api.request<RepoConnectionInfo>('GET', `/apps/${encodeURIComponent(app)}/repo`);
  } catch (e) {
    // The client keeps only the message; this is the API's 404 for "no connection".
    if (e instanceof CliError && /repository connection/.test(e.message)) return null;
    throw e;
  }
}

export const describePoll = (seconds: number): string => (seconds === 0 ? 'off (webhooks only)' : `every ${seconds}s`);

/** `key: value` lines for `apps:info`. */
export function repoPairs(repo: RepoConnectionInfo): [string, unknown][] {
  const status = repo.building_sha ? `building ${repo.building_sha.slice(0, 7)}` : 'idle';
  return [
    ['Repository', `${repo.url} (branch ${repo.branch})`],
    ['Repo Polling', describePoll(repo.poll_interval)],
    ['Repo Credential', repo.credential?.type ?? 'none'],
    ['Repo Webhook', repo.webhook_url],
    ['Repo Last Seen', repo.last_seen_sha ? `${repo.last_seen_sha.slice(0, 7)} (${status})` : status],
    ['Repo Checked At', repo.last_checked_at],
    ...(repo.last_error ? [['Repo Error', repo.last_error] as [string, unknown]] : []),
  ];
}

import type { ReleaseInfo } from './api-types.js';
import type { ApiClient } from './client.js';
import { CliError } from './errors.js';

/** The newest release, fetched as Heroku's CLI does: `Range: version ..; max=1, order=desc`. */
export async function latestRelease(api: ApiClient, app: string): Promise<ReleaseInfo> {
  const [release] = await api.request<ReleaseInfo[]>('GET', `/apps/${encodeURIComponent(app)}/releases`, {
    headers: { Range: 'version ..; max=1, order=desc' },
  });
  if (!release) throw new CliError(`${app} has no releases.`);
  return release;
}

import type { BuildInfo } from './api-types.js';
import type { ApiClient } from './client.js';

/** Copies a build's output stream (live while it runs) to `write` until the build ends. */
export async function streamBuildOutput(api: ApiClient, build: Pick<BuildInfo, 'output_stream_url'>, write: (s: string) => void): Promise<void> {
  const res = await api.fetch(build.output_stream_url);
  if (!res.body) return;
  const decoder = new TextDecoder();
  for await (const chunk of res.body) write(decoder.decode(chunk as Uint8Array, { stream: true }));
  write(decoder.decode());
}

/** The newest build of an app, or null when it has none. */
export async function latestBuild(api: ApiClient, app: string): Promise<BuildInfo | null> {
  const builds = await api.request<BuildInfo[]>('GET', `/apps/${encodeURIComponent(app)}/builds`, {
    headers: { Range: 'created_at ..; max=1, order=desc' },
  });
  return builds[0] ?? null;
}

import type { ReleaseInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { latestRelease } from '../latest-release.js';

export default defineCommand({
  name: 'releases:info',
  summary: 'show one release (default the newest)',
  args: '[vN]',
  app: true,
  json: true,
  async run({ api, app, args, flags, out }) {
    const name = await app();
    const release = args[0]
      ? await api.request<ReleaseInfo>('GET', `/apps/${encodeURIComponent(name)}/releases/${encodeURIComponent(args[0].replace(/^v/, ''))}`)
      : await latestRelease(api, name);
    if (flags.json) return out.json(release);
    out.section(`Release v${release.version}`);
    out.pairs([
      ['Description', release.description],
      ['Status', release.status + (release.status_reason ? ` (${release.status_reason})` : '')],
      ['Current', release.current ? 'yes' : 'no'],
      ['Slug', release.slug?.id ?? 'none'],
      ['OCI image', release.oci_image ? `${release.oci_image.ref} (${release.oci_image.id})` : 'none'],
      ['When', release.created_at],
    ]);
  },
});

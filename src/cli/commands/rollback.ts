import type { ReleaseInfo } from '../api-types.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'rollback',
  aliases: ['releases:rollback'],
  summary: 'roll back to an earlier release (default the one before the newest)',
  args: '[vN]',
  app: true,
  async run({ api, app, args, out }) {
    const name = await app();
    let target = args[0]?.replace(/^v/, '');
    if (!target) {
      const recent = await api.request<ReleaseInfo[]>('GET', `/apps/${encodeURIComponent(name)}/releases`, {
        headers: { Range: 'version ..; max=2, order=desc' },
      });
      const previous = recent[1];
      if (!previous) throw new CliError(`${name} has no earlier release to roll back to.`);
      target = String(previous.version);
    }
    const release = await api.request<ReleaseInfo>('POST', `/apps/${encodeURIComponent(name)}/releases`, {
      body: { release: target },
    });
    out.line(`Rolling back ${name} to v${target}... done, v${release.version}`);
  },
});

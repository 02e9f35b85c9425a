import { writeFileSync } from 'node:fs';
import { defineCommand } from '../command.js';

export default defineCommand({
  name: 'apps:compose-export',
  summary: 'write the app as a Docker Swarm stack file (docker stack deploy -c FILE APP); it holds the config vars',
  args: '[FILE]',
  app: true,
  async run({ api, app, args, out }) {
    const name = await app();
    const file = args[0] ?? `${name}.stack.yml`;
    const { stack, release } = await api.request<{ stack: string; release: { version: number } }>(
      'GET', `/apps/${encodeURIComponent(name)}/compose-export`,
    );
    writeFileSync(file, stack, { mode: 0o600 });
    out.line(`Wrote ${name} v${release.version} to ${file} (it holds the app's config vars: keep it private).`);
  },
});

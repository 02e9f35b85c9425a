import type { BuildInfo } from '../api-types.js';
import { latestBuild, streamBuildOutput } from '../build-output.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'builds:output',
  summary: "show a build's output (default the newest build), following it while it runs",
  args: '[ID]',
  app: true,
  async run({ api, app, args }) {
    const name = await app();
    const build = args[0]
      ? await api.request<BuildInfo>('GET', `/apps/${encodeURIComponent(name)}/builds/${encodeURIComponent(args[0])}`)
      : await latestBuild(api, name);
    if (!build) throw new CliError(`${name} has no builds yet.`, 'Deploy with `git push cupaas main` or `cupaas deploy`.');
    await streamBuildOutput(api, build, (s) => process.stdout.write(s));
  },
});

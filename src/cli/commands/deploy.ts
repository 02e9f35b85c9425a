import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineCommand } from '../command.js';
import { deployPacked, packDirectory } from '../deploy-directory.js';
import { CliError } from '../errors.js';

export default defineCommand({
  name: 'deploy',
  summary: 'build and release a directory (default .) without git push',
  args: '[DIR]',
  app: true,
  details: 'Uploads DIR as a source tarball (POST /sources), starts a build (POST /apps/APP/builds),\n' +
    'streams its output and exits non-zero when the build fails.',
  async run({ api, app, args, out }) {
    const dir = resolve(args[0] ?? '.');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory.`);
    const name = await app();
    const source = await packDirectory(dir);
    try {
      const build = await deployPacked(api, name, source, dir, (s) => process.stdout.write(s));
      out.line(`Deployed ${name} (build ${build.id}).`);
    } finally {
      source.cleanup();
    }
  },
});

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { extractSourceArchive, materializeCommit } from '../../build/index.js';
import { PlatformError } from '../../shared/errors.js';
import type { DeployContext, DeployStep } from '../context.js';

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `SHA256:${hash.digest('hex')}`;
}

/** Materialises the source: the pushed commit's files, or a checked tarball's. */
export const receive: DeployStep = {
  name: 'receive',
  async run(ctx: DeployContext) {
    const source = ctx.req.source;
    if (source.kind === 'git') {
      const commit = await materializeCommit(source.gitDir, source.sha, ctx.dirs.app, {
        env: source.env ?? {}, hostPath: ctx.deps.config.hostPath, scratch: ctx.dirs.work,
      });
      ctx.commit = commit;
      ctx.record({ sourceVersion: commit.sha, commitMessage: commit.message, commitAuthor: commit.author });
      return;
    }
    if (source.checksum) {
      const actual = await sha256(source.path);
      if (actual.toLowerCase() !== source.checksum.toLowerCase()) {
        throw new PlatformError('build_failed', `The source's checksum is ${actual}, not ${source.checksum} as given; upload it again.`);
      }
    }
    await extractSourceArchive(source.path, ctx.dirs.app);
  },
};

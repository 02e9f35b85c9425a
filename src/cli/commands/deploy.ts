import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import * as tar from 'tar';
import type { BuildInfo } from '../api-types.js';
import { streamBuildOutput } from '../build-output.js';
import { defineCommand } from '../command.js';
import { CliError } from '../errors.js';

/** Never uploaded: git metadata and installed dependencies (the build installs its own). */
const SKIP = new Set(['.git', 'node_modules', '.venv']);

async function packDirectory(dir: string, file: string): Promise<string> {
  await tar.create(
    {
      gzip: true, file, cwd: dir, portable: true,
      filter: (path) => !path.split('/').some((part) => SKIP.has(part)),
    },
    ['.'],
  );
  return `SHA256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

/** The checkout's commit, recorded as the build's version when DIR is a git work tree. */
async function gitVersion(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: dir });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

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
    const tmp = mkdtempSync(join(tmpdir(), 'cupaas-deploy-'));
    try {
      const file = join(tmp, 'source.tgz');
      const checksum = await packDirectory(dir, file);
      const { source_blob: blob } = await api.request<{ source_blob: { get_url: string; put_url: string } }>('POST', '/sources');
      const put = await fetch(blob.put_url, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/gzip', 'Content-Length': String(statSync(file).size) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      if (!put.ok) throw new CliError(`Uploading the source failed: ${put.status} ${await put.text()}`);
      const build = await api.request<BuildInfo>('POST', `/apps/${encodeURIComponent(name)}/builds`, {
        body: { source_blob: { url: blob.get_url, checksum, version: await gitVersion(dir) } },
      });
      await streamBuildOutput(api, build, (s) => process.stdout.write(s));
      const done = await api.request<BuildInfo>('GET', `/apps/${encodeURIComponent(name)}/builds/${build.id}`);
      if (done.status !== 'succeeded') {
        throw new CliError(`Build ${build.id} ${done.status}: ${done.failure_reason ?? 'see the output above'}`, 'Fix the problem and run `cupaas deploy` again.');
      }
      out.line(`Deployed ${name} (build ${build.id}).`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
});

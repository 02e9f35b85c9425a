import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import * as tar from 'tar';
import type { BuildInfo } from './api-types.js';
import { streamBuildOutput } from './build-output.js';
import type { ApiClient } from './client.js';
import { CliError } from './errors.js';

/** Never uploaded: git metadata and installed dependencies (the build installs its own). */
const SKIP = new Set(['.git', 'node_modules', '.venv']);

export interface PackedSource {
  file: string;
  /** `SHA256:<hex>`; the same files give the same checksum (fixed mtimes). */
  checksum: string;
  cleanup(): void;
}

export async function packDirectory(dir: string): Promise<PackedSource> {
  const tmp = mkdtempSync(join(tmpdir(), 'cupaas-deploy-'));
  const file = join(tmp, 'source.tgz');
  await tar.create(
    {
      gzip: true, file, cwd: dir, portable: true, mtime: new Date(0),
      filter: (path) => !path.split('/').some((part) => SKIP.has(part)),
    },
    ['.'],
  );
  const checksum = `SHA256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
  return { file, checksum, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
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

/**
 * Builds and releases `source` through the public API: upload (POST /sources
 * + PUT), build (POST /apps/APP/builds), stream its output. Throws when the
 * build fails.
 */
export async function deployPacked(
  api: ApiClient,
  app: string,
  source: PackedSource,
  dir: string,
  write: (s: string) => void,
): Promise<BuildInfo> {
  const { source_blob: blob } = await api.request<{ source_blob: { get_url: string; put_url: string } }>('POST', '/sources');
  const put = await fetch(blob.put_url, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/gzip', 'Content-Length': String(statSync(source.file).size) },
    body: Readable.toWeb(createReadStream(source.file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!put.ok) throw new CliError(`Uploading the source failed: ${put.status} ${await put.text()}`);
  const build = await api.request<BuildInfo>('POST', `/apps/${encodeURIComponent(app)}/builds`, {
    body: { source_blob: { url: blob.get_url, checksum: source.checksum, version: await gitVersion(dir) } },
  });
  await streamBuildOutput(api, build, write);
  const done = await api.request<BuildInfo>('GET', `/apps/${encodeURIComponent(app)}/builds/${build.id}`);
  if (done.status !== 'succeeded') {
    throw new CliError(
      `Build ${build.id} ${done.status}: ${done.failure_reason ?? 'see the output above'}`,
      'Fix the problem and deploy again.',
    );
  }
  return done;
}

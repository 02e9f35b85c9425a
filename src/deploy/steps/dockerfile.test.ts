/** Which Dockerfiles an image build uses, from heroku.yml `build.docker` or the app's root. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import type { DeployContext } from '../context.js';
import { dockerfileOf } from './dockerfile.js';

const app = mkdtempSync(join(tmpdir(), 'cupaas-dockerfile-'));
after(() => rmSync(app, { recursive: true, force: true }));
mkdirSync(join(app, 'docker'));
for (const f of ['Dockerfile', 'docker/web.Dockerfile', 'docker/worker.Dockerfile']) writeFileSync(join(app, f), 'FROM cupaas/stack:latest\n');

/** The slice of a deploy that `dockerfileOf` reads. */
const ctx = (docker?: Record<string, string>, images = true, runtimeDriver = 'docker') =>
  ({ deps: images ? { images: {}, config: { runtimeDriver } } : {}, dirs: { app }, manifests: docker ? { herokuYml: { build: { docker } } } : {} }) as unknown as DeployContext;

it('builds the root Dockerfile when heroku.yml names none, and nothing when images are off', () => {
  assert.deepEqual(dockerfileOf(ctx()), { dockerfile: 'Dockerfile', others: {} });
  assert.equal(dockerfileOf(ctx(undefined, false)), null);
});

it("gives each process type naming another Dockerfile an image of its own; web's is the release's image", () => {
  const build = dockerfileOf(ctx({ worker: 'docker/worker.Dockerfile', web: 'docker/web.Dockerfile', clock: 'docker/web.Dockerfile' }));
  assert.deepEqual(build, { dockerfile: 'docker/web.Dockerfile', others: { worker: 'docker/worker.Dockerfile' } });
  assert.deepEqual(dockerfileOf(ctx({ worker: 'docker/worker.Dockerfile' })), { dockerfile: 'docker/worker.Dockerfile', others: {} });
});

it('refuses a Dockerfile the app lacks, and a process type that cannot name an image', () => {
  assert.throws(() => dockerfileOf(ctx({ web: 'Dockerfile', worker: 'missing.Dockerfile' })), /names missing\.Dockerfile, which the app does not have/);
  assert.throws(() => dockerfileOf(ctx({ web: 'Dockerfile', Worker: 'docker/worker.Dockerfile' })), /process type "Worker"/);
});

it('refuses images per process type on a runtime that runs one image per app', () => {
  const docker = { web: 'docker/web.Dockerfile', worker: 'docker/worker.Dockerfile' };
  assert.throws(() => dockerfileOf(ctx(docker, true, 'kubernetes')), /run on the docker or swarm runtime; this platform runs the kubernetes runtime/);
  assert.deepEqual(dockerfileOf(ctx(docker, true, 'swarm'))?.others, { worker: 'docker/worker.Dockerfile' });
  assert.deepEqual(dockerfileOf(ctx({ web: 'docker/web.Dockerfile' }, true, 'kubernetes'))?.others, {});
});

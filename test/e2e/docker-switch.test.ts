/**
 * Switching a platform from the local runtime to docker: the releases deployed
 * while images were off get their images at start, and the same app is then
 * served by a container, without a redeploy.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, test } from 'node:test';
import { freePort } from '../../src/shared/net.js';
import { waitFor } from '../../src/shared/wait.js';
import { appContainers, engineMissing, removeEngineObjects } from '../support/engine.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { seedFixtureRelease } from '../support/runtime-fixtures.js';

const missing = await engineMissing();
const APP = 'dk-switch';
const platforms: TestPlatform[] = [];
after(async () => {
  for (const p of platforms.reverse()) await p.cleanup().catch(() => undefined);
  if (platforms[0]) await removeEngineObjects(platforms[0].home);
});

function served(p: TestPlatform): Promise<{ dyno: string; release: string }> {
  return waitFor(
    () =>
      new Promise<{ dyno: string; release: string } | undefined>((resolve) => {
        get(`${p.routerUrl}/`, { headers: { Host: `${APP}.localhost` } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (c: string) => (body += c));
          res.on('end', () => resolve(res.statusCode === 200 ? JSON.parse(body) : undefined));
        }).on('error', () => resolve(undefined));
      }),
    { timeoutMs: 120_000, intervalMs: 250, what: `${APP} served` },
  );
}

test('a release deployed on the local runtime runs as a container after a restart with --runtime docker', { skip: missing ?? false }, async () => {
  const env = { CUPAAS_REGISTRY_PORT: String(await freePort('127.0.0.1')) };
  const local = await startPlatform({ env });
  platforms.push(local);
  const created = await local.api('POST', '/apps', { name: APP });
  assert.equal(created.status, 201);
  await seedFixtureRelease(local.home, APP);
  assert.equal((await served(local)).dyno, 'web.1');
  assert.deepEqual(await appContainers(local.home, created.body.id), []);
  await local.stop();

  const docker = await startPlatform({ home: local.home, userHome: local.userHome, env, args: ['--runtime', 'docker'] });
  platforms.push(docker);
  assert.equal((await served(docker)).dyno, 'web.1');
  const containers = await appContainers(docker.home, created.body.id);
  assert.deepEqual(containers.map((c) => c.dyno), ['web.1']);
  assert.match(docker.output(), /made the images of releases deployed while images were off/);
});

test('--runtime docker without an engine refuses to start and says what to install', async () => {
  await assert.rejects(
    startPlatform({ args: ['--runtime', 'docker'], env: { CUPAAS_DOCKER_SOCKET: '/nonexistent/docker.sock' } }),
    /the docker runtime needs the Docker engine: no Docker engine answers on \/nonexistent\/docker\.sock .*install Debian's docker\.io/,
  );
});

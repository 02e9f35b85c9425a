/** Which apps are Compose apps, and where they are refused (no engine needed). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { DeployContext } from '../context.js';
import { composeOf } from './compose.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function ctxFor(files: Record<string, string>, o: { runtime: string; images: boolean; procfile?: boolean }): DeployContext {
  const app = mkdtempSync(join(tmpdir(), 'compose-detect-'));
  dirs.push(app);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);
  return {
    dirs: { app, work: app, cache: app },
    req: { app: { id: 'app-1', name: 'shop' } },
    manifests: { procfile: o.procfile ? { web: 'x' } : null, appJson: null, cupaas: null, herokuYml: null, warnings: [] },
    deps: {
      config: { runtimeDriver: o.runtime },
      store: { releases: { getConfig: () => ({ TAG: '7' }) } },
      ...(o.images ? { images: {} } : {}),
    },
  } as unknown as DeployContext;
}

const COMPOSE = 'services:\n  web: {build: ., ports: [3000]}\n  cache: {image: "redis:${TAG}"}\n';

describe('deploy: compose detection', () => {
  test('a compose file without Procfile or heroku.yml is a Compose app on docker and swarm (config vars substituted)', () => {
    for (const runtime of ['docker', 'swarm']) {
      const app = composeOf(ctxFor({ 'docker-compose.yml': COMPOSE, Dockerfile: 'FROM x\n' }, { runtime, images: true }));
      assert.deepEqual(app?.addons, [{ service: 'cache', kind: 'redis' }]);
      assert.equal(app?.file, 'docker-compose.yml');
    }
  });

  test('a Procfile wins: the app deploys the Heroku way', () => {
    assert.equal(composeOf(ctxFor({ 'compose.yaml': COMPOSE }, { runtime: 'local', images: false, procfile: true })), null);
  });

  test('no compose file: not a Compose app', () => {
    assert.equal(composeOf(ctxFor({ Dockerfile: 'FROM x\n' }, { runtime: 'docker', images: true })), null);
  });

  test('on the local runtime (images on or off) it is refused, naming the runtime to use', () => {
    for (const images of [false, true]) {
      assert.throws(
        () => composeOf(ctxFor({ 'compose.yaml': COMPOSE }, { runtime: 'local', images })),
        /compose\.yaml: Compose apps run as containers, on the docker or swarm runtime; this platform runs the local runtime\. Start the server with --runtime docker/,
      );
    }
  });
});

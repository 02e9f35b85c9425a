/** A Compose process's dyno: its own artifact, and its environment under the config vars with add-on references resolved. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dynoSpec } from './dyno-spec.js';

test("a Compose process's env sits under the config vars; add-on references read the release's config", () => {
  const artifact = { slugChecksum: null, image: { id: 'sha256:w', ref: 'r/shop/worker@sha256:w1' }, process: { entrypoint: null, command: ['node', 'worker.js'], port: null } };
  const spec = dynoSpec({
    appId: 'a', appName: 'shop', name: 'worker.1', processType: 'worker', command: 'node worker.js', size: 'standard-1x',
    release: {
      id: 'r3', version: 3, healthCheckPath: null, artifact: { slugChecksum: null, image: { id: 'sha256:web', ref: 'r/shop:v3' } },
      processArtifacts: { worker: artifact },
      config: { REDIS_URL: 'redis://:s%40cret@10.0.0.9:6380', GREETING: 'from config' },
    },
    processEnv: {
      GREETING: 'from compose', MODE: 'fast', CACHE_HOST: { configVar: 'REDIS_URL', part: 'host' }, CACHE_PORT: { configVar: 'REDIS_URL', part: 'port' },
      CACHE_PASSWORD: { configVar: 'REDIS_URL', part: 'password' }, GONE: { configVar: 'DATABASE_URL', part: 'url' },
    },
  });
  assert.equal(spec.artifact, artifact);
  assert.deepEqual(
    { ...spec.env },
    {
      GREETING: 'from config', MODE: 'fast', CACHE_HOST: '10.0.0.9', CACHE_PORT: '6380', CACHE_PASSWORD: 's@cret',
      REDIS_URL: 'redis://:s%40cret@10.0.0.9:6380', DYNO: 'worker.1', CUPAAS_APP: 'shop', CUPAAS_RELEASE_VERSION: '3',
    },
  );
});

/** How a dyno's release image runs: a slug image through the init, a Compose service's image as it says. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerOptions } from '../docker/container.js';
import type { DynoSpec } from '../types.js';
import { releaseImage } from './dyno-service.js';

const spec = (artifact: Partial<DynoSpec['artifact']>): DynoSpec => ({
  dynoId: 'd1', appId: 'a1', name: 'web.1', processType: 'web', releaseId: 'r3', releaseVersion: 3, command: 'node server.js',
  size: 'standard-1x', env: { CUPAAS_APP: 'shop' }, web: true, healthCheckPath: null,
  artifact: { slugChecksum: null, image: { id: 'sha256:aa', ref: '10.0.0.1:5000/shop:v3' }, ...artifact },
});

test('a slug image runs the Procfile command through the init in /app, reads $PORT, has bash for the health check', () => {
  const image = releaseImage(spec({}), null);
  assert.deepEqual(image?.process.command?.slice(0, 2), ['bash', '-c']);
  assert.equal(image?.process.dir, '/app');
  assert.equal(image?.hasShell, true);
  assert.equal(image?.containerPort, null);
});

test("a Compose service's image: its own argv overrides (or the image's), its own port and directory, no shell assumed", () => {
  const compose = spec({ image: { id: 'sha256:bb', ref: '10.0.0.1:5000/shop/web@sha256:cc' }, process: { entrypoint: null, command: ['node', 'web.js'], port: 3000 } });
  const image = releaseImage(compose, null);
  assert.deepEqual(image, {
    ref: '10.0.0.1:5000/shop/web@sha256:cc', process: { command: null, args: ['node', 'web.js'], user: '10001:10001', dir: null }, hasShell: false, containerPort: 3000,
  });
  const c = containerOptions(compose, { image: 'x', home: 'h', network: 'n', name: 'c' });
  assert.equal(c.Entrypoint, undefined);
  assert.deepEqual(c.Cmd, ['node', 'web.js']);
  assert.equal(c.WorkingDir, undefined);
  assert.ok(c.Env?.includes('PORT=3000'));
  assert.deepEqual(c.ExposedPorts, { '3000/tcp': {} });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manifestPath, prepullSpec, pullFailure, PREPULL_LABEL } from './prepull.js';
import { LABEL } from './service-spec.js';

test('a pre-pull is a global job of the image that exits at once, labelled for cleanup', () => {
  const s = prepullSpec('10.0.0.1:5000/shop:v3', 'home-1');
  assert.match(s.Name, /^cupaas-prepull-[0-9a-f]{12}$/);
  assert.deepEqual(s.Mode, { GlobalJob: {} });
  assert.deepEqual(s.TaskTemplate.ContainerSpec.Command, ['true']);
  assert.deepEqual(s.TaskTemplate.RestartPolicy, { Condition: 'none' });
  assert.deepEqual(s.Labels, { [LABEL.platform]: 'home-1', [PREPULL_LABEL]: '10.0.0.1:5000/shop:v3' });
  assert.equal(prepullSpec('10.0.0.1:5000/shop:v3', 'home-2').Name, s.Name, 'one name per image');
});

test('which pre-pull tasks say a node could not pull', () => {
  const cases: Array<[string, Parameters<typeof pullFailure>[0], string | null]> = [
    ['pulled and ran', { Status: { State: 'complete', ContainerStatus: { ContainerID: 'c' } } }, null],
    ['pulled, `true` missing in the image', { Status: { State: 'failed', Err: 'exec: "true": not found', ContainerStatus: { ContainerID: 'c' } } }, null],
    ['still pulling', { Status: { State: 'preparing' } }, null],
    ['rejected: no route to the registry', { Status: { State: 'rejected', Err: 'Get "https://r/v2/": dial tcp: connect: no route to host' } }, 'Get "https://r/v2/": dial tcp: connect: no route to host'],
    ['failed before any container', { Status: { State: 'failed', Err: 'No such image: r/x:v3' } }, 'No such image: r/x:v3'],
  ];
  for (const [name, task, want] of cases) assert.equal(pullFailure(task), want, name);
});

test('where the registry keeps an image reference\'s manifest', () => {
  const cases: Array<[string, { host: string; path: string } | null]> = [
    ['10.213.0.1:5000/shop/web:v3', { host: '10.213.0.1:5000', path: '/v2/shop/web/manifests/v3' }],
    ['10.213.0.1:5000/team/shop@sha256:ab', { host: '10.213.0.1:5000', path: '/v2/team/shop/manifests/sha256:ab' }],
    ['10.213.0.1:5000/shop:v3@sha256:ab', { host: '10.213.0.1:5000', path: '/v2/shop/manifests/sha256:ab' }],
    ['localhost/shop', { host: 'localhost', path: '/v2/shop/manifests/latest' }],
    ['redis:7', null],
    ['library/redis', null],
  ];
  for (const [ref, want] of cases) assert.deepEqual(manifestPath(ref), want, ref);
});

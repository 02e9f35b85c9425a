/** One-off dynos as Pods: the objects (schema-checked, Kubernetes 1.27) and how a pod's end is read. Pure, tables. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pod, Secret } from 'kubernetes-models/v1';
import type { DynoSpec } from '../types.js';
import { oneOffEnd, oneOffName, oneOffObjects, type OneOffPodView } from './one-off.js';

const spec: DynoSpec = {
  dynoId: '0f1e2d3c-aaaa-bbbb-cccc-000000000000', appId: 'a1', name: 'release.1', processType: 'release', releaseId: 'r4', releaseVersion: 4,
  artifact: { slugChecksum: null, image: { id: 'sha256:x', ref: 'reg.test/shop:v4' } }, command: 'rake db:migrate', size: 'standard-2x',
  env: { CUPAAS_APP: 'shop', DYNO: 'release.1', DATABASE_URL: 'postgres://u:secret@db/x' }, web: false, healthCheckPath: null, oneOff: {},
};

describe('oneOffObjects', () => {
  const [secret, pod] = oneOffObjects(spec, { namespace: 'cupaas-shop', imagePullSecret: 'regcred' });
  it('are a schema-valid env Secret and Pod', () => {
    new Secret(structuredClone(secret) as never).validate();
    new Pod(structuredClone(pod) as never).validate();
  });
  it('run the command once, never restarted, with the env from the Secret only', () => {
    const p = pod as unknown as { spec: { restartPolicy: string; imagePullSecrets: unknown; containers: { image: string; command: string[]; envFrom: unknown; env?: unknown }[] } };
    assert.equal(p.spec.restartPolicy, 'Never');
    assert.deepEqual(p.spec.imagePullSecrets, [{ name: 'regcred' }]);
    const c = p.spec.containers[0]!;
    assert.equal(c.image, 'reg.test/shop:v4');
    assert.equal(c.command.at(-1), 'rake db:migrate');
    assert.deepEqual(c.envFrom, [{ secretRef: { name: oneOffName(spec) } }]);
    assert.equal(c.env, undefined);
    assert.doesNotMatch(JSON.stringify(pod), /secret@db/, 'config vars never in the pod spec');
    assert.equal((secret as unknown as { stringData: Record<string, string> }).stringData.DATABASE_URL, 'postgres://u:secret@db/x');
  });
  it('are labelled one-off and outside every formation selector', () => {
    for (const o of [secret!, pod!]) {
      assert.equal(o.metadata.labels?.['cupaas.io/one-off'], 'release-1');
      assert.equal(o.metadata.labels?.['cupaas.io/process-type'], undefined);
      assert.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'cupaas');
    }
    assert.equal(oneOffName(spec), 'release-1-0f1e2d3c');
  });
  it('refuses a release without an image', () => {
    assert.throws(() => oneOffObjects({ ...spec, artifact: { slugChecksum: 'SHA256:x', image: null } }, { namespace: 'n', imagePullSecret: null }), /has no image/);
  });
});

describe('oneOffEnd', () => {
  const cases: { name: string; pod: OneOffPodView; want: ReturnType<typeof oneOffEnd> }[] = [
    { name: 'pending', pod: { status: { phase: 'Pending' } }, want: null },
    { name: 'running', pod: { status: { phase: 'Running', containerStatuses: [{ state: {} }] } }, want: null },
    { name: 'exited 0', pod: { status: { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0 } } }] } }, want: { status: 0 } },
    { name: 'exited 3', pod: { status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3, reason: 'Error' } } }] } }, want: { status: 3 } },
    { name: 'OOM killed', pod: { status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] } }, want: { status: 137 } },
    { name: 'image never pulls', pod: { status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff', message: 'not found' } } }] } }, want: { status: 1, error: 'ImagePullBackOff: not found' } },
    { name: 'still creating', pod: { status: { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] } }, want: null },
    { name: 'pod failed without a container (evicted)', pod: { status: { phase: 'Failed' } }, want: { status: 1, error: 'the pod failed' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(oneOffEnd(c.pod), c.want));
});

/**
 * The desired state the reconciler hands the kubernetes driver, as manifest
 * input (pure, tables), the pull Secret (schema-checked against the
 * Kubernetes 1.27 OpenAPI schema), and the router's backends.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Secret } from 'kubernetes-models/v1';
import type { FormationSpec } from '../types.js';
import { formationManifestInput, pullSecret, routerBackends, type FormationOptions } from './formation-input.js';
import { appManifests } from './manifests.js';
import type { PodDyno } from './pod-state.js';

const opts: FormationOptions = { namespacePrefix: 'cupaas-', ingressClass: 'nginx', imagePullSecret: null, registry: 'reg.test:5000', registryAuth: null };
const spec = (over: Partial<FormationSpec> = {}): FormationSpec => ({
  appId: 'a1', appName: 'Shop_1',
  release: { id: 'r3', version: 3, artifact: { slugChecksum: null, image: { id: 'sha256:abc', ref: 'reg.test:5000/shop_1:v3' } }, config: { A: '1' }, healthCheckPath: '/up' },
  processes: [{ type: 'web', command: 'serve', quantity: 2, size: 'basic' }, { type: 'worker', command: 'work', quantity: 0, size: 'basic' }],
  hostnames: ['shop.apps.test'],
  restarts: {},
  ...over,
});

describe('formationManifestInput', () => {
  it('names the image, namespace, hostnames, health check and formation of the spec', () => {
    const i = formationManifestInput(spec(), opts);
    assert.equal(i.image, 'reg.test:5000/shop_1:v3');
    assert.equal(i.options.namespace, 'cupaas-shop-1');
    assert.equal(i.options.ingressClass, 'nginx');
    assert.deepEqual(i.hostnames, ['shop.apps.test']);
    assert.equal(i.healthCheckPath, '/up');
    assert.deepEqual(i.processes.map((p) => `${p.type}=${p.quantity} ${p.restartedAt}`), ['web=2 null', 'worker=0 null']);
  });

  const restartCases: { name: string; restarts: Record<string, number>; web: string | null; worker: string | null }[] = [
    { name: 'none', restarts: {}, web: null, worker: null },
    { name: 'the whole app', restarts: { '': 1000 }, web: new Date(1000).toISOString(), worker: new Date(1000).toISOString() },
    { name: 'one type', restarts: { worker: 2000 }, web: null, worker: new Date(2000).toISOString() },
    { name: 'the later of app and type', restarts: { '': 3000, web: 2000 }, web: new Date(3000).toISOString(), worker: new Date(3000).toISOString() },
  ];
  for (const c of restartCases) {
    it(`restart requests become pod template annotations: ${c.name}`, () => {
      const objects = appManifests(formationManifestInput(spec({ restarts: c.restarts }), opts));
      const annotation = (name: string) => {
        const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name) as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } };
        new Deployment(structuredClone(d) as never).validate();
        return d.spec.template.metadata.annotations['cupaas.io/restarted-at'] ?? null;
      };
      assert.equal(annotation('web'), c.web);
      assert.equal(annotation('worker'), c.worker);
    });
  }

  it('refuses a release without an image, saying why', () => {
    const noImage = spec({ release: { ...spec().release, artifact: { slugChecksum: 'SHA256:x', image: null } } });
    assert.throws(() => formationManifestInput(noImage, opts), /has no image: the kubernetes runtime runs release images/);
  });

  it('labels the namespace with the app id and annotates the release, so a restarted control plane knows whose it is', () => {
    const ns = appManifests(formationManifestInput(spec(), opts))[0]!;
    assert.equal(ns.metadata.labels?.['cupaas.io/app-id'], 'a1');
    assert.equal(ns.metadata.annotations?.['cupaas.io/release-id'], 'r3');
  });
});

describe('pullSecret', () => {
  it('is a schema-valid dockerconfigjson Secret for the registry when name and credentials are configured', () => {
    const withAuth = { ...opts, imagePullSecret: 'regcred', registryAuth: { username: 'bot', password: 's3cret' } };
    const s = pullSecret(formationManifestInput(spec(), withAuth), withAuth);
    assert.ok(s);
    new Secret(structuredClone(s) as never).validate();
    assert.equal(s.type, 'kubernetes.io/dockerconfigjson');
    assert.equal(s.metadata.namespace, 'cupaas-shop-1');
    assert.equal(s.metadata.labels?.['app.kubernetes.io/managed-by'], 'cupaas', 'owned: pruned with the app');
    const auths = JSON.parse((s.stringData as Record<string, string>)['.dockerconfigjson']!).auths;
    assert.deepEqual(auths['reg.test:5000'], { username: 'bot', password: 's3cret', auth: Buffer.from('bot:s3cret').toString('base64') });
  });
  for (const [name, o] of [
    ['no name', { ...opts, registryAuth: { username: 'u', password: 'p' } }],
    ['no credentials (the operator provides the Secret)', { ...opts, imagePullSecret: 'regcred' }],
  ] as const) {
    it(`is none with ${name}`, () => assert.equal(pullSecret(formationManifestInput(spec(), o), o), null));
  }
});

describe('routerBackends', () => {
  const pod = (over: Partial<PodDyno>): PodDyno => ({
    id: 'web-1', name: 'web.1', processType: 'web', release: 3, releaseId: 'r3', since: 0, state: 'up', restarts: 0, code: null, reason: null, ...over,
  });
  const cases: { name: string; inCluster: boolean; pods: PodDyno[]; want: string[] }[] = [
    { name: 'outside the cluster: the Ingress serves, the router gets nothing', inCluster: false, pods: [pod({})], want: [] },
    { name: 'inside, a web dyno up: the web Service', inCluster: true, pods: [pod({})], want: ['web.cupaas-shop.svc:80'] },
    { name: 'inside, web still starting: nothing yet', inCluster: true, pods: [pod({ state: 'starting' })], want: [] },
    { name: 'inside, only a worker up: nothing', inCluster: true, pods: [pod({ processType: 'worker' })], want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(routerBackends(c.inCluster, 'cupaas-shop', c.pods).map((b) => `${b.host}:${b.port}`), c.want));
  }
});

/**
 * Manifests for a table of app shapes, validated against the official
 * OpenAPI schemas of Kubernetes 1.27 (kubernetes-models, offline), plus the
 * fields each shape is about.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Namespace, Secret, Service } from 'kubernetes-models/v1';
import { DYNO_SIZES } from '../../config/index.js';
import { appManifests } from './manifests.js';
import type { KubeObject, ManifestInput, ManifestProcess } from './types.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace, 'v1/Secret': Secret, 'v1/Service': Service, 'apps/v1/Deployment': Deployment,
  'networking.k8s.io/v1/Ingress': Ingress, 'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

function validate(objects: KubeObject[]): void {
  for (const o of objects) {
    const Model = MODELS[`${o.apiVersion}/${o.kind}`];
    assert.ok(Model, `no schema for ${o.apiVersion}/${o.kind}`);
    new Model(structuredClone(o) as never).validate();
  }
}

const proc = (type: string, quantity = 1, size = 'basic'): ManifestProcess => ({ type, command: `run-${type} --port $PORT`, quantity, size });

function input(over: Partial<ManifestInput> = {}): ManifestInput {
  return {
    app: { id: 'a1', name: 'shop' },
    release: { id: 'r7', version: 7 },
    image: '127.0.0.1:5001/shop:v7',
    processes: [proc('web')],
    config: { GREETING: 'hi' },
    hostnames: ['shop.example.test'],
    healthCheckPath: null,
    options: { namespace: 'cupaas-shop', ingressClass: null, imagePullSecret: null },
    ...over,
  };
}

const find = (objs: KubeObject[], kind: string, name?: string) => objs.find((o) => o.kind === kind && (!name || o.metadata.name === name));
// Plain JSON read by path in assertions.
const spec = (o: KubeObject | undefined): any => (o as unknown as { spec: unknown }).spec;

const SHAPES: { name: string; input: ManifestInput; kinds: string[] }[] = [
  { name: 'web only', input: input(), kinds: ['Namespace', 'Secret', 'Deployment', 'Service', 'Ingress'] },
  { name: 'web + worker', input: input({ processes: [proc('web', 2), proc('worker', 3)] }), kinds: ['Namespace', 'Secret', 'Deployment', 'Deployment', 'Service', 'Ingress', 'PodDisruptionBudget'] },
  { name: 'worker only', input: input({ processes: [proc('worker')], hostnames: [] }), kinds: ['Namespace', 'Secret', 'Deployment'] },
  ...DYNO_SIZES.map((s) => ({ name: `size ${s.name}`, input: input({ processes: [proc('web', 1, s.name)] }), kinds: ['Namespace', 'Secret', 'Deployment', 'Service', 'Ingress'] })),
  { name: 'health check', input: input({ healthCheckPath: '/healthz' }), kinds: ['Namespace', 'Secret', 'Deployment', 'Service', 'Ingress'] },
  { name: 'custom domains + class + pull secret', input: input({ hostnames: ['shop.example.test', 'www.shop.test'], options: { namespace: 'n', ingressClass: 'nginx', imagePullSecret: 'regcred' } }), kinds: ['Namespace', 'Secret', 'Deployment', 'Service', 'Ingress'] },
  { name: 'add-ons', input: input({ config: { DATABASE_URL: 'postgres://u:p@db.example.test:5432/shop', REDIS_URL: 'redis://cache.example.test:6379' } }), kinds: ['Namespace', 'Secret', 'Deployment', 'Service', 'Ingress'] },
  { name: 'scaled to 0', input: input({ processes: [proc('web', 0), proc('clock_tick', 0)] }), kinds: ['Namespace', 'Secret', 'Deployment', 'Deployment', 'Service', 'Ingress'] },
];

describe('appManifests', () => {
  for (const shape of SHAPES) {
    it(`${shape.name}: schema-valid, the expected objects`, () => {
      const objs = appManifests(shape.input);
      validate(objs);
      assert.deepEqual(objs.map((o) => o.kind).sort(), [...shape.kinds].sort());
      for (const o of objs) {
        assert.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'cupaas');
        assert.equal(o.metadata.labels?.['cupaas.io/release'], 'v7');
        if (o.kind !== 'Namespace') assert.equal(o.metadata.namespace, shape.input.options.namespace);
      }
      for (const p of shape.input.processes) {
        const d = spec(objs.find((o) => o.kind === 'Deployment' && o.metadata.labels?.['cupaas.io/process-type'] === p.type.replace('_', '-')));
        assert.equal(d.replicas, p.quantity);
        assert.equal(d.template.spec.terminationGracePeriodSeconds, 30);
        const c = d.template.spec.containers[0];
        assert.equal(c.image, '127.0.0.1:5001/shop:v7');
        assert.deepEqual(c.envFrom, [{ secretRef: { name: 'config-v7' } }]);
        assert.equal(c.command.at(-1), p.command, 'the Procfile command is an argument, not spliced into the script');
        assert.equal(c.securityContext.readOnlyRootFilesystem, true);
        assert.equal(c.securityContext.runAsNonRoot, true);
        assert.deepEqual(c.volumeMounts, [{ name: 'scratch', mountPath: '/tmp' }]);
        assert.deepEqual(d.template.spec.volumes, [{ name: 'scratch', emptyDir: {} }]);
        assert.deepEqual(d.selector.matchLabels, { 'cupaas.io/app': 'shop', 'cupaas.io/process-type': p.type.replace('_', '-') });
        if (p.type === 'web') assert.equal(d.strategy.rollingUpdate.maxUnavailable, 0);
      }
    });
  }

  it('resources come from the dyno size: request = quota, limit = hard limit (R15)', () => {
    for (const size of DYNO_SIZES) {
      const d = spec(find(appManifests(input({ processes: [proc('web', 1, size.name)] })), 'Deployment'));
      const r = d.template.spec.containers[0].resources;
      assert.equal(r.requests.memory, `${size.memoryMb}Mi`);
      assert.equal(r.limits.memory, `${size.memoryMb * size.hardLimitFactor}Mi`);
      assert.equal(r.limits.cpu, size.cpuQuota > 0 ? String(size.cpuQuota) : undefined);
    }
  });

  it('an unknown size is refused before anything is made', () => {
    assert.throws(() => appManifests(input({ processes: [proc('web', 1, 'huge')] })), /Unknown dyno size "huge"/);
  });

  it('readiness: the health check path, else a TCP check of $PORT', () => {
    const probe = (i: ManifestInput) => spec(find(appManifests(i), 'Deployment')).template.spec.containers[0].readinessProbe;
    assert.deepEqual(probe(input({ healthCheckPath: '/healthz' })).httpGet, { path: '/healthz', port: 'web' });
    assert.deepEqual(probe(input()).tcpSocket, { port: 'web' });
  });

  it('ingress: a rule per hostname to the web Service, class when configured', () => {
    const i = input({ hostnames: ['a.test', 'b.test'], options: { namespace: 'n', ingressClass: 'traefik', imagePullSecret: null } });
    const ing = spec(find(appManifests(i), 'Ingress'));
    assert.equal(ing.ingressClassName, 'traefik');
    assert.deepEqual(ing.rules.map((r: { host: string }) => r.host), ['a.test', 'b.test']);
    assert.equal(ing.rules[0].http.paths[0].backend.service.name, 'web');
    assert.equal(spec(find(appManifests(input()), 'Ingress')).ingressClassName, undefined);
  });

  it('config vars go to the release Secret only, never into the pod spec', () => {
    const objs = appManifests(input({ config: { SECRET_TOKEN: 's3cr3t' } }));
    assert.deepEqual((find(objs, 'Secret') as unknown as { stringData: unknown }).stringData, { SECRET_TOKEN: 's3cr3t' });
    assert.ok(!JSON.stringify(find(objs, 'Deployment')).includes('s3cr3t'));
  });

  it('image pull secret on every pod when configured', () => {
    const i = input({ processes: [proc('web'), proc('worker')], options: { namespace: 'n', ingressClass: null, imagePullSecret: 'regcred' } });
    for (const d of appManifests(i).filter((o) => o.kind === 'Deployment')) {
      assert.deepEqual(spec(d).template.spec.imagePullSecrets, [{ name: 'regcred' }]);
    }
  });

  it('the schema check catches a broken object (the validation is real)', () => {
    const [, , d] = appManifests(input());
    spec(d).replicas = 'two';
    assert.throws(() => validate([d as KubeObject]), /replicas/);
  });

  it('is deterministic', () => {
    assert.deepEqual(appManifests(input({ processes: [proc('worker'), proc('web')] })), appManifests(input({ processes: [proc('web'), proc('worker')] })));
  });
});

/**
 * `GET /apps/{app}/manifests` and `cupaas apps:manifests` against a real
 * server: the objects of a seeded release, schema-checked against the
 * Kubernetes 1.27 OpenAPI schemas, printed by the CLI as YAML documents.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Namespace, Secret, Service } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { seedFixtureRelease } from '../support/runtime-fixtures.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  Namespace, Secret, Service, Deployment, Ingress,
};

describe('app manifests API and CLI', () => {
  let p: TestPlatform;
  const app = 'k8s-shop';
  before(async () => {
    p = await startPlatform({
      env: { CUPAAS_KUBERNETES_INGRESS_CLASS: 'nginx', CUPAAS_REGISTRY_URL: 'registry.example.test:5000', CUPAAS_BASE_DOMAIN: 'apps.test' },
    });
    assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
    assert.equal((await p.api('GET', `/apps/${app}/manifests`)).status, 422, 'no build yet');
    await seedFixtureRelease(p.home, app);
    assert.equal((await p.api('PATCH', `/apps/${app}/config-vars`, { GREETING: 'hello' })).status, 200);
    assert.equal((await p.api('POST', `/apps/${app}/domains`, { hostname: 'www.shop.test' })).status, 201);
    assert.equal((await p.api('PATCH', `/apps/${app}/formation/worker`, { quantity: 2 })).status, 200);
  });
  after(() => p.cleanup());

  test('the current release as a v1 List of schema-valid objects', async () => {
    const r = await p.api('GET', `/apps/${app}/manifests`);
    assert.equal(r.status, 200);
    assert.equal(r.body.kind, 'List');
    const items = r.body.items as Array<Record<string, any>>;
    for (const o of items) new (MODELS[o.kind]!)(o as never).validate();
    assert.deepEqual(items.map((o) => `${o.kind}/${o.metadata.name}`), [
      'Namespace/cupaas-k8s-shop', 'Secret/config-v3', 'Deployment/web', 'Deployment/worker', 'Service/web', 'Ingress/k8s-shop',
    ]);
    assert.equal(items[1]!.stringData.GREETING, 'hello');
    const [web, worker] = [items[2]!, items[3]!];
    assert.equal(web.spec.replicas, 1);
    assert.equal(worker.spec.replicas, 2);
    assert.equal(web.spec.template.spec.containers[0].image, 'registry.example.test:5000/k8s-shop:v3');
    assert.equal(web.spec.template.spec.containers[0].command.at(-1), 'node server.js');
    assert.equal(web.spec.template.spec.containers[0].resources.requests.memory, '512Mi');
    const ingress = items[5]!;
    assert.equal(ingress.spec.ingressClassName, 'nginx');
    assert.deepEqual(ingress.spec.rules.map((rule: { host: string }) => rule.host), ['k8s-shop.apps.test', 'www.shop.test']);
  });

  test('an older release by version; bad or unknown versions change nothing and say why', async () => {
    const v2 = await p.api('GET', `/apps/${app}/manifests?release=v2`);
    assert.equal(v2.status, 200);
    assert.equal(v2.body.items[1].metadata.name, 'config-v2');
    assert.equal(v2.body.items[1].stringData.GREETING, undefined);
    const v1 = await p.api('GET', `/apps/${app}/manifests?release=1`);
    assert.equal(v1.status, 422);
    assert.match(v1.body.message, /no build/);
    assert.equal((await p.api('GET', `/apps/${app}/manifests?release=v99`)).status, 404);
    const bad = await p.api('GET', `/apps/${app}/manifests?release=latest`);
    assert.equal(bad.status, 422);
    assert.equal(bad.body.id, 'invalid_params');
  });

  test('add-ons: external URLs pass unchanged; a URL on the platform host\'s loopback is refused with what to set', async () => {
    const mail = { plan: 'external', attachment: { name: 'MAILER' }, config: { url: 'smtp://x@mail.example.test:25' } };
    assert.equal((await p.api('POST', `/apps/${app}/addons`, mail)).status, 201);
    const ok = await p.api('GET', `/apps/${app}/manifests`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.items.find((o: { kind: string }) => o.kind === 'Secret').stringData.MAILER_URL, 'smtp://x@mail.example.test:25');
    const local = { plan: 'external', attachment: { name: 'CACHE' }, config: { url: 'redis://127.0.0.1:6379' } };
    assert.equal((await p.api('POST', `/apps/${app}/addons`, local)).status, 201);
    const refused = await p.api('GET', `/apps/${app}/manifests`);
    assert.equal(refused.status, 422);
    assert.match(refused.body.message, /CACHE_URL .*CUPAAS_KUBERNETES_PLATFORM_HOST/);
  });

  test('cupaas apps:manifests prints YAML documents, one per object', async () => {
    const r = await p.cli(['apps:manifests', '-a', app, '--release', 'v3']);
    assert.equal(r.code, 0, r.stderr);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Record<string, any>);
    assert.deepEqual(docs.map((d) => d.kind), ['Namespace', 'Secret', 'Deployment', 'Deployment', 'Service', 'Ingress']);
    for (const d of docs) new (MODELS[d.kind]!)(d as never).validate();
    const bad = await p.cli(['apps:manifests', '-a', app, '--release', 'x']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--release must be a version/);
  });
});

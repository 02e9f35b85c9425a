/**
 * A Compose app on the `docker` runtime end to end (slow): `git push` of a
 * repository with only a compose file and its Dockerfile deploys web (built,
 * listening on its own port 3000), a worker (same build, own command) and a
 * redis service that becomes the app's redis add-on: REDIS_URL is the add-on's,
 * the worker's `CACHE_HOST`/`CACHE_PORT`/`CACHE_PASSWORD` point at it, the
 * worker writes to redis and the web, served through the router, reads it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { freePort } from '../../src/shared/net.js';
import { run } from '../../src/shared/process.js';
import { waitFor } from '../../src/shared/wait.js';
import { appContainers, engineMissing, removeEngineObjects } from '../support/engine.js';
import { REPO_ROOT, startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const missing = await engineMissing();
const redisMissing = (await run(['sh', '-c', 'command -v redis-server'])).code === 0 ? null : 'redis-server is not installed';
const APP = 'cmp-shop';

/** The fixture's files, to commit into a work tree (and change). */
const FIXTURE = join(REPO_ROOT, 'test/fixtures/compose-redis');
const fixtureFiles = (): Record<string, string> => Object.fromEntries(readdirSync(FIXTURE).map((f) => [f, readFileSync(join(FIXTURE, f), 'utf8')]));

function viaRouter(routerUrl: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    get(`${routerUrl}/`, { headers: { Host: `${APP}.localhost` }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', () => resolve({ status: 0, body: '' }));
  });
}

describe('compose app on the docker runtime', { skip: missing ?? redisMissing ?? false }, () => {
  let p: TestPlatform;
  let registryPort: number;

  before(async () => {
    const routerPort = await freePort('127.0.0.1');
    registryPort = await freePort('127.0.0.1');
    p = await startPlatform({
      args: ['--runtime', 'docker', '--router-port', String(routerPort)],
      env: { CUPAAS_REGISTRY_PORT: String(registryPort), CUPAAS_BOOT_TIMEOUT: '60' },
    });
    writeNetrc(p);
  });
  after(async () => {
    if (!p) return;
    await p.cleanup().catch(() => {});
    await removeEngineObjects(p.home);
  });

  test('web (build:) + worker + redis: REDIS_URL is the add-on, the worker writes, the web reads through the router', async () => {
    assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
    const tree = await appWorkTree(p, APP);
    await tree.commit('compose app', fixtureFiles());
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /Compose app detected/);
    assert.match(push.output, /not applied on cupaas: networks/);
    assert.match(push.output, /services\.web: not applied on cupaas: cap_add/);
    assert.match(push.output, /service "cache" becomes a redis add-on/);
    assert.match(push.output, /worker: node worker\.js/);

    const addons = (await p.api('GET', `/apps/${APP}/addons`)).body as Array<{ addon_service: { name: string } }>;
    assert.deepEqual(addons.map((a) => a.addon_service.name), ['redis']);
    const config = (await p.api('GET', `/apps/${APP}/config-vars`)).body as Record<string, string>;
    assert.match(config.REDIS_URL ?? '', /^redis:\/\/.*@[\d.]+:\d+/, 'REDIS_URL is the add-on, not the compose service');
    const formation = (await p.api('GET', `/apps/${APP}/formation`)).body as Array<{ type: string; quantity: number }>;
    assert.deepEqual(formation.map((f) => `${f.type}=${f.quantity}`).sort(), ['web=1', 'worker=1']);

    const body = await waitFor(async () => {
      const r = await viaRouter(p.routerUrl as string);
      return r.status === 200 && r.body.includes('from-worker.1') ? r.body : undefined;
    }, { timeoutMs: 180_000, intervalMs: 500, what: 'the web serving what the worker wrote to redis' });
    assert.equal(body, 'hello from-worker.1 port=3000');

    const dynos = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ name: string; state: string; command: string }>;
    assert.deepEqual(dynos.map((d) => `${d.name}:${d.state}`).sort(), ['web.1:up', 'worker.1:up']);
    const appId = (await p.api('GET', `/apps/${APP}`)).body.id as string;
    const containers = await appContainers(p.home, appId);
    assert.deepEqual(containers.map((c) => c.dyno).sort(), ['web.1', 'worker.1']);

    // Each service's image is pushed as its own repository (`APP/TYPE:vN`), as heroku.yml's per-type images are.
    const releases = (await p.api('GET', `/apps/${APP}/releases`)).body as Array<{ version: number }>;
    const version = Math.max(...releases.map((r) => r.version));
    for (const type of ['web', 'worker']) {
      await waitFor(async () => {
        const r = await fetch(`http://127.0.0.1:${registryPort}/v2/${APP}/${type}/tags/list`).catch(() => null);
        const tags = r?.ok ? ((await r.json()) as { tags: string[] | null }).tags : null;
        return tags?.includes(`v${version}`) || undefined;
      }, { timeoutMs: 120_000, intervalMs: 500, what: `${APP}/${type}:v${version} in the registry` });
    }
  });

  test('a named volume on a non-database service refuses the push and changes nothing', async () => {
    const tree = await appWorkTree(p, APP);
    await tree.commit('volume', {
      ...fixtureFiles(), 'compose.yaml': 'services:\n  web:\n    build: .\n    volumes: ["uploads:/srv/uploads"]\nvolumes: {uploads: {}}\n',
    });
    const push = await tree.push('+HEAD:main');
    assert.notEqual(push.code, 0);
    assert.match(push.output, /named volume "uploads" is not supported: dynos have ephemeral filesystems/);
    assert.equal((await viaRouter(p.routerUrl as string)).status, 200);
  });

  test('image: services run as they are; one the engine neither has nor can pull refuses the push', async () => {
    const tree = await appWorkTree(p, APP);
    const ticker = '  ticker:\n    image: "cupaas/stack:latest"\n    command: ["bash", "-c", "while true; do echo tick from $$DYNO; sleep 1; done"]\n';
    await tree.commit('missing image', { ...fixtureFiles(), 'compose.yaml': `services:\n  web: {build: .}\n  gone: {image: "127.0.0.1:9/nothing:1"}\n` });
    const missing = await tree.push('+HEAD:main');
    assert.notEqual(missing.code, 0);
    assert.match(missing.output, /services\.gone: image "127\.0\.0\.1:9\/nothing:1" is not on this engine and could not be pulled/);

    await tree.commit('ticker', { 'compose.yaml': `${readFileSync(join(FIXTURE, 'compose.yaml'), 'utf8')}\n`.replace('services:\n', () => `services:\n${ticker}`) });
    const push = await tree.push('+HEAD:main');
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /ticker: using image cupaas\/stack:latest/);
    let text = '';
    await waitFor(async () => {
      const r = await p.api('POST', `/apps/${APP}/log-sessions`, { lines: 1500 });
      text = await (await fetch(r.body.logplex_url as string, { signal: AbortSignal.timeout(3000) })).text().catch(() => '');
      return text.includes('app[ticker.1]: tick from ticker.1') || undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000, what: 'the ticker running its own image' }).catch((e: Error) => {
      throw new Error(`${e.message}\n${push.output}\n${text.split('\n').slice(-40).join('\n')}`);
    });
  });
  test("image: naming another app's platform-made image (its code, its build args) refuses the push", async () => {
    const releases = (await p.api('GET', `/apps/${APP}/releases`)).body as Array<{ oci_image: { ref: string } | null }>;
    const theirs = releases.map((r) => r.oci_image?.ref).filter(Boolean).at(-1) as string;
    assert.ok(theirs, 'the first app has a release image');
    const thief = 'cmp-thief';
    assert.equal((await p.api('POST', '/apps', { name: thief })).status, 201);
    const tree = await appWorkTree(p, thief);
    await tree.commit('borrowed image', { 'compose.yaml': `services:\n  web:\n    image: "${theirs}"\n    ports: ["3000:3000"]\n` });
    const push = await tree.push();
    assert.notEqual(push.code, 0, push.output);
    assert.match(push.output, /was made by the platform for another app/);
  });

  test('apps:compose-export writes each service with its own image, command, port and environment', async () => {
    const exported = await p.api('GET', `/apps/${APP}/compose-export`);
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const { release, stack } = exported.body as { release: { version: number }; stack: string };
    const services = (parse(stack) as { services: Record<string, any> }).services;
    assert.deepEqual(Object.keys(services).sort(), ['ticker', 'web', 'worker']);
    for (const type of ['web', 'worker', 'ticker']) assert.equal(services[type].image, `127.0.0.1:${registryPort}/${APP}/${type}:v${release.version}`);
    assert.deepEqual(services.worker.command, ['node', 'worker.js']);
    assert.deepEqual(services.ticker.command, ['bash', '-c', 'while true; do echo tick from $$DYNO; sleep 1; done'], 'as written in compose.yaml: $$ for docker');
    assert.equal(services.web.command, undefined, 'the web image runs its own command');
    assert.deepEqual(services.web.ports, [{ target: 3000, published: 80, protocol: 'tcp', mode: 'ingress' }]);
    const config = (await p.api('GET', `/apps/${APP}/config-vars`)).body as Record<string, string>;
    assert.equal(services.worker.environment.CACHE_HOST, new URL(config.REDIS_URL as string).hostname, 'the service name resolved to the add-on');
    assert.equal(services.worker.environment.REDIS_URL, config.REDIS_URL);
  });
});

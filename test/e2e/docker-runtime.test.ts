/**
 * The `docker` runtime end to end (slow): a buildpack app pushed with git runs
 * as containers of its release image, scales, gets a killed container
 * replaced, changes config under load without a failed request, survives a
 * kill -9 of the platform without a container restarting, and any release can
 * be pulled from the registry with plain `docker pull`.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../src/shared/net.js';
import { run, runChecked } from '../../src/shared/process.js';
import { waitFor } from '../../src/shared/wait.js';
import { appContainers, engineMissing, removeEngineObjects } from '../support/engine.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const missing = await engineMissing();
const APP = 'dk-hello';
const DOCKER_APP = 'dk-file';

const DOCKERFILE = `FROM cupaas/stack:latest
ARG GREETING=hello
ARG NOT_A_CONFIG_VAR
RUN echo "built with $GREETING, secret=\${SECRET_TOKEN:-unset}" > /app/greeting.txt
COPY server.js /app/server.js
CMD ["node", "server.js"]
`;
const serverJs = (version: string) => `require('http').createServer((req, res) => {
  res.end(require('fs').readFileSync('/app/greeting.txt', 'utf8').trim() + ' ${version} ' + process.getuid());
}).listen(process.env.PORT);
`;

/** GET path through the router with the app's Host header; status 0 when the connection failed. */
function viaRouter(routerUrl: string, path = '/', app = APP): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    get(`${routerUrl}${path}`, { headers: { Host: `${app}.localhost` }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', () => resolve({ status: 0, body: '' }));
  });
}

/** Requests in a loop until `stop` aborts (bounded: at most `max`), counting failures. */
async function requestLoop(url: () => Promise<{ status: number }>, stop: AbortSignal, max = 5000) {
  let ok = 0;
  const failed: number[] = [];
  for (let i = 0; i < max && !stop.aborted; i++) {
    const r = await url();
    if (r.status === 200) ok++;
    else failed.push(r.status);
  }
  return { ok, failed };
}

describe('docker runtime', { skip: missing ?? false }, () => {
  let p: TestPlatform;
  let routerPort: number;
  let registryPort: number;
  let appId: string;
  const platforms: TestPlatform[] = [];
  const args = () => ['--runtime', 'docker', '--router-port', String(routerPort)];

  before(async () => {
    routerPort = await freePort('127.0.0.1');
    registryPort = await freePort('127.0.0.1');
    p = await startPlatform({ args: args(), env: { CUPAAS_REGISTRY_PORT: String(registryPort), CUPAAS_BOOT_TIMEOUT: '60' } });
    platforms.push(p);
    writeNetrc(p);
  });
  after(async () => {
    for (const x of platforms.reverse()) await x.cleanup().catch(() => {});
    if (p) await removeEngineObjects(p.home);
    if (registryPort) await run(['docker', 'image', 'rm', `127.0.0.1:${registryPort}/${APP}:v3`]);
  });

  const serving = () => waitFor(async () => (await viaRouter(p.routerUrl!)).status === 200 || undefined, { timeoutMs: 120_000, intervalMs: 250, what: 'the app served' });
  const webContainers = async (n: number) =>
    waitFor(async () => {
      const cs = (await appContainers(p.home, appId)).filter((c) => c.dyno.startsWith('web.'));
      return cs.length === n ? cs : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: `${n} web containers` });

  test('a pushed buildpack app runs as a container of its release image', async () => {
    const created = await p.api('POST', '/apps', { name: APP });
    assert.equal(created.status, 201);
    appId = created.body.id as string;
    const tree = await appWorkTree(p, APP, 'node-hello');
    await tree.commit('hello');
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /Making the release image/);
    await serving();
    const [c] = await webContainers(1);
    assert.ok(c);
    const release = (await p.api('GET', `/apps/${APP}/releases/2`)).body;
    assert.match(release.oci_image.id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(release.oci_image.ref, `127.0.0.1:${registryPort}/${APP}:v2`);
    const inspect = JSON.parse((await runChecked(['docker', 'inspect', c.id])).stdout)[0];
    assert.equal(inspect.Config.User, '10001:10001');
    assert.deepEqual(inspect.HostConfig.CapDrop, ['ALL']);
    assert.equal(inspect.HostConfig.RestartPolicy.Name, 'no');
    assert.equal(inspect.HostConfig.Memory, 1024 * 1024 * 1024);
    assert.equal(inspect.Config.Labels['io.cupaas.dyno'], 'web.1');
    assert.equal(inspect.HostConfig.Binds, null, 'no engine socket or host path inside');
  });

  test('scaling runs more containers; a killed container is replaced', async () => {
    assert.equal((await p.api('PATCH', `/apps/${APP}/formation/web`, { quantity: 2 })).status, 200);
    const [a, b] = await webContainers(2);
    assert.ok(a && b && a.ip !== b.ip);
    await runChecked(['docker', 'kill', a.id]);
    const replaced = await waitFor(async () => {
      const cs = await appContainers(p.home, appId);
      return cs.length === 2 && !cs.some((c) => c.id === a.id) ? cs : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'the killed container replaced' });
    assert.ok(replaced.some((c) => c.id === b.id));
  });

  test('a config change under load fails no request', async () => {
    await serving();
    const stop = new AbortController();
    const loop = requestLoop(() => viaRouter(p.routerUrl!), stop.signal);
    const before = (await appContainers(p.home, appId)).map((c) => c.id);
    assert.equal((await p.api('PATCH', `/apps/${APP}/config-vars`, { GREETING: 'v3' })).status, 200);
    await waitFor(async () => {
      const cs = await appContainers(p.home, appId);
      return cs.length === 2 && cs.every((c) => !before.includes(c.id)) ? cs : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'v3 containers replacing v2' });
    stop.abort();
    const { ok, failed } = await loop;
    assert.ok(ok > 10, `only ${ok} requests`);
    assert.deepEqual(failed, []);
  });

  test('docker pull REGISTRY/APP:v3 works', async () => {
    const ref = `127.0.0.1:${registryPort}/${APP}:v3`;
    await waitFor(async () => (await p.api('GET', `/apps/${APP}/releases/3`)).body.oci_image?.ref === ref || undefined, { what: 'v3 image' });
    await waitFor(async () => (await run(['docker', 'manifest', 'inspect', '--insecure', ref])).code === 0 || undefined, {
      timeoutMs: 60_000, intervalMs: 500, what: 'v3 pushed',
    }).catch(() => undefined);
    await run(['docker', 'image', 'rm', ref]);
    const pulled = await run(['docker', 'pull', ref]);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /Digest: sha256:/);
  });

  test('kill -9 of the platform and a restart restart no container', async () => {
    const before = await appContainers(p.home, appId);
    assert.equal(before.length, 2);
    await p.kill9();
    // While the control plane is down the dynos serve on: ask them directly.
    const stop = new AbortController();
    const direct = requestLoop(async () => {
      const c = before[Math.floor(Math.random() * before.length)]!;
      const r = await fetch(`http://${c.ip}:5000/`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
      return { status: r?.status ?? 0 };
    }, stop.signal);
    p = await p.restart();
    platforms.push(p);
    await serving();
    stop.abort();
    const during = await direct;
    assert.deepEqual(during.failed, []);
    assert.ok(during.ok > 0);
    const routed = await requestLoop(() => viaRouter(p.routerUrl!), AbortSignal.timeout(3000), 200);
    assert.deepEqual(routed.failed, []);
    const afterRestart = await appContainers(p.home, appId);
    assert.deepEqual(afterRestart.map((c) => `${c.id} ${c.startedAt}`).sort(), before.map((c) => `${c.id} ${c.startedAt}`).sort());
    const dynos = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ name: string; state: string }>;
    assert.deepEqual(dynos.map((d) => `${d.name}:${d.state}`).sort(), ['web.1:up', 'web.2:up']);
  });

  test('a Dockerfile app is built by the engine: ARG config vars, cached layers on a code-only change, a failed build changes nothing', async () => {
    assert.equal((await p.api('POST', '/apps', { name: DOCKER_APP })).status, 201);
    const config = await p.api('PATCH', `/apps/${DOCKER_APP}/config-vars`, { GREETING: 'bonjour', SECRET_TOKEN: 'not-passed' });
    assert.equal(config.status, 200);
    const tree = await appWorkTree(p, DOCKER_APP);
    await tree.commit('dockerfile app', { Dockerfile: DOCKERFILE, 'server.js': serverJs('one') });
    const first = await tree.push();
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /Dockerfile app detected/);
    const body = () => waitFor(async () => {
      const r = await viaRouter(p.routerUrl!, '/', DOCKER_APP);
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'the Dockerfile app served' });
    assert.equal(await body(), 'built with bonjour, secret=unset one 10001');

    await tree.commit('code only', { 'server.js': serverJs('two') });
    const second = await tree.push();
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /RUN echo[^\n]*\n(remote: )?\s*---> Using cache/);
    await waitFor(async () => (await body()).endsWith('two 10001') || undefined, { timeoutMs: 120_000, intervalMs: 250, what: 'the new code served' });
    const release = ((await p.api('GET', `/apps/${DOCKER_APP}/releases`)).body as Array<{ current: boolean; oci_image?: { ref: string } }>).find((r) => r.current);
    assert.match(release?.oci_image?.ref ?? '', new RegExp(`/${DOCKER_APP}:v\\d+$`));

    await tree.commit('broken', { Dockerfile: `${DOCKERFILE}RUN exit 3\n` });
    const broken = await tree.push();
    assert.notEqual(broken.code, 0);
    assert.match(await body(), /two 10001$/);
  });

  test('heroku.yml build.docker names the Dockerfile, build.config gives build args, run gives process types', async () => {
    const app = 'dk-yml';
    assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
    const tree = await appWorkTree(p, app);
    await tree.commit('heroku.yml app', {
      'heroku.yml': 'build:\n  docker:\n    web: docker/web.Dockerfile\n  config:\n    GREETING: from-heroku-yml\nrun:\n  web: node server.js\n',
      'docker/web.Dockerfile': DOCKERFILE.replace('CMD ["node", "server.js"]', 'CMD ["false"]'),
      'server.js': serverJs('yml'),
    });
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /web: node server\.js/);
    const served = await waitFor(async () => {
      const r = await viaRouter(p.routerUrl!, '/', app);
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'the heroku.yml app served' });
    assert.equal(served, 'built with from-heroku-yml, secret=unset yml 10001');
  });
});

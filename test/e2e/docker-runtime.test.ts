/**
 * The `docker` runtime end to end (slow), issue 11's "done when": a buildpack
 * app and a Dockerfile app pushed with git run as containers of their release
 * images, scale, get a killed container replaced, change config under load
 * without a failed request, survive a kill -9 of the platform without a
 * container restarting, and any release can be pulled from the registry with
 * plain `docker pull`, by tag or by the digest the release names. The release
 * phase and `cupaas run` run in containers of the release image.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../src/shared/net.js';
import { run, runChecked } from '../../src/shared/process.js';
import { waitFor } from '../../src/shared/wait.js';
import { connectEngine, LABEL } from '../../src/images/index.js';
import { appContainers, DOCKER_SOCKET, engineMissing, removeEngineObjects } from '../support/engine.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const missing = await engineMissing();
const APP = 'dk-hello';
const DOCKER_APP = 'dk-file';
const RELEASE_APP = 'dk-release';
/** The registry's Accept headers for a manifest (OCI and Docker's v2 schema, single image or index). */
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** The digest the registry itself serves for `APP:TAG` (HEAD on the manifest, `Docker-Content-Digest`). */
async function registryDigest(registry: string, app: string, tag: string): Promise<string | null> {
  const r = await fetch(`http://${registry}/v2/${app}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: MANIFEST_TYPES } });
  return r.status === 200 ? r.headers.get('docker-content-digest') : null;
}

/** A release once its image is pushed (its `oci_image` is known from then on). */
const pushedRelease = (p: TestPlatform, app: string, version: number) =>
  waitFor(async () => {
    const r = (await p.api('GET', `/apps/${app}/releases/${version}`)).body as { oci_image: { id: string; ref: string } | null };
    return r.oci_image ? r.oci_image : undefined;
  }, { timeoutMs: 120_000, intervalMs: 500, what: `${app} v${version} pushed` });

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
  /** v2's manifest digest, as the registry serves it. */
  let v2Digest: string;
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
    const image = await pushedRelease(p, APP, 2);
    const registry = `127.0.0.1:${registryPort}`;
    assert.equal(image.ref, `${registry}/${APP}:v2`);
    // oci_image.id is the digest the registry serves for the tag, not the engine's image id.
    v2Digest = (await registryDigest(registry, APP, 'v2')) ?? '';
    assert.match(v2Digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(image.id, v2Digest);
    const info = await p.cli(['releases:info', 'v2', '-a', APP]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`OCI image.*${registry}/${APP}:v2 \\(${v2Digest}\\)`));
    const byDigest = await run(['docker', 'pull', `${registry}/${APP}@${v2Digest}`]);
    assert.equal(byDigest.code, 0, byDigest.stderr);
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
    // A dyno started after the push runs the release pinned by its digest, what every node would pull.
    const web2 = await connectEngine(DOCKER_SOCKET).getContainer([a, b].find((c) => c.dyno === 'web.2')!.id).inspect();
    const spec = JSON.parse(web2.Config.Labels[LABEL.spec] ?? '{}') as { artifact: { image: { ref: string } } };
    assert.equal(spec.artifact.image.ref, `127.0.0.1:${registryPort}/${APP}@${v2Digest}`);
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
    assert.match(pulled.stdout, new RegExp(`Digest: ${(await pushedRelease(p, APP, 3)).id}`));
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
    const dockerAppId = ((await p.api('GET', `/apps/${DOCKER_APP}`)).body as { id: string }).id;
    assert.equal((await p.api('PATCH', `/apps/${DOCKER_APP}/formation/web`, { quantity: 2 })).status, 200);
    await waitFor(async () => ((await appContainers(p.home, dockerAppId)).filter((c) => c.dyno.startsWith('web.')).length === 2) || undefined, {
      timeoutMs: 120_000, intervalMs: 250, what: 'two containers of the Dockerfile app',
    });

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

  test('heroku.yml build.docker: build.config gives build args, run gives process types, a type naming another Dockerfile runs its own image', async () => {
    const app = 'dk-yml';
    const created = await p.api('POST', '/apps', { name: app });
    assert.equal(created.status, 201);
    const tree = await appWorkTree(p, app);
    await tree.commit('heroku.yml app', {
      'heroku.yml': [
        'build:', '  docker:', '    web: docker/web.Dockerfile', '    worker: docker/worker.Dockerfile', '  config:', '    GREETING: from-heroku-yml',
        'run:', '  web: node server.js', '  worker: echo "worker says $(cat /app/marker.txt)"; sleep 1000', '',
      ].join('\n'),
      'docker/web.Dockerfile': DOCKERFILE.replace('CMD ["node", "server.js"]', 'CMD ["false"]'),
      'docker/worker.Dockerfile': 'FROM cupaas/stack:latest\nRUN echo from-the-worker-image > /app/marker.txt\n',
      'server.js': serverJs('yml'),
    });
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /web: node server\.js/);
    assert.match(push.output, /Building docker\/worker\.Dockerfile/);
    const served = await waitFor(async () => {
      const r = await viaRouter(p.routerUrl!, '/', app);
      return r.status === 200 ? r.body : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'the heroku.yml app served' });
    assert.equal(served, 'built with from-heroku-yml, secret=unset yml 10001');

    // The worker's image is pushed to its own repository; once it is, a worker dyno runs it pinned by digest.
    const version = ((await p.api('GET', `/apps/${app}/releases`)).body as Array<{ version: number }>).at(-1)!.version;
    await pushedRelease(p, app, version);
    const registry = `127.0.0.1:${registryPort}`;
    const workerDigest = await registryDigest(registry, `${app}/worker`, `v${version}`);
    assert.match(workerDigest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.equal((await p.api('PATCH', `/apps/${app}/formation/worker`, { quantity: 1 })).status, 200);
    const appId = (created.body as { id: string }).id;
    const [worker, web] = await waitFor(async () => {
      const cs = await appContainers(p.home, appId);
      const w = cs.find((c) => c.dyno === 'worker.1');
      return w ? [w, cs.find((c) => c.dyno === 'web.1')!] : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'worker.1 running' });
    const engine = connectEngine(DOCKER_SOCKET);
    const [workerInfo, webInfo] = await Promise.all([engine.getContainer(worker.id).inspect(), engine.getContainer(web.id).inspect()]);
    assert.notEqual(workerInfo.Image, webInfo.Image, 'the worker runs an image of its own');
    const spec = JSON.parse(workerInfo.Config.Labels[LABEL.spec] ?? '{}') as { artifact: { image: { ref: string } } };
    assert.equal(spec.artifact.image.ref, `${registry}/${app}/worker@${workerDigest}`);
    const logs = async () => (await fetch((await p.api('POST', `/apps/${app}/log-sessions`, { lines: 500 })).body.logplex_url)).text();
    await waitFor(async () => (await logs()).includes('app[worker.1]: worker says from-the-worker-image') || undefined, {
      timeoutMs: 60_000, intervalMs: 500, what: "the worker's line from its own image",
    });
  });

  test('the release phase runs in a container of the new release image; its failure rejects the push and the previous release serves', async () => {
    assert.equal((await p.api('POST', '/apps', { name: RELEASE_APP })).status, 201);
    const tree = await appWorkTree(p, RELEASE_APP);
    const procfile = (release: string) => `web: python3 -m http.server $PORT\nrelease: ${release}\n`;
    await tree.commit('release phase', { Procfile: procfile('echo "release ran as uid $(id -u) on $DYNO with $(cat marker.txt)"'), 'marker.txt': 'marker-one' });
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /remote: +release ran as uid 10001 on release\.1 with marker-one/);
    // A booting web dyno answers H10 from the router after a short wait: only a 200 is the app serving.
    const served = () => waitFor(async () => {
      const r = await viaRouter(p.routerUrl!, '/marker.txt', RELEASE_APP);
      return r.status === 200 ? r.body.trim() : undefined;
    }, {
      timeoutMs: 120_000, intervalMs: 250, what: 'the release app served',
    });
    assert.equal(await served(), 'marker-one');
    await tree.commit('failing release', { Procfile: procfile('echo "migration broke" >&2; exit 7'), 'marker.txt': 'marker-two' });
    const failed = await tree.push();
    assert.notEqual(failed.code, 0, failed.output);
    assert.match(failed.output, /migration broke/);
    assert.match(failed.output, /Release command failed.*exited with status 7/);
    const releases = (await p.api('GET', `/apps/${RELEASE_APP}/releases`)).body as Array<{ status: string }>;
    assert.equal(releases.at(-1)?.status, 'failed');
    assert.equal(await served(), 'marker-one');
  });

  test('cupaas run attaches to a container of the release image: stdin in, output and exit status out', async () => {
    const r = await p.cli(['run', '-a', RELEASE_APP, '--', 'read x; echo "got:$x uid:$(id -u) on $DYNO $(cat marker.txt)"; exit 4'], { input: 'typed\n' });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stdout, /^got:typed uid:10001 on run\.1 marker-one$/m);
  });
});

/**
 * Zero failed requests while the control plane is down needs a router that
 * outlives it: the HAProxy data plane, adopted by the restarted server.
 */
describe('docker runtime behind the HAProxy data plane', { skip: missing ?? false }, () => {
  const platforms: TestPlatform[] = [];
  after(async () => {
    for (const x of platforms.reverse()) await x.cleanup().catch(() => {});
    if (platforms[0]) await removeEngineObjects(platforms[0].home);
  });

  test('kill -9 of the platform and a restart fail no request through the router and restart no container', async () => {
    const routerPort = await freePort('127.0.0.1');
    const registryPort = await freePort('127.0.0.1');
    let p = await startPlatform({
      args: ['--runtime', 'docker', '--router-port', String(routerPort)],
      env: { CUPAAS_REGISTRY_PORT: String(registryPort), CUPAAS_BOOT_TIMEOUT: '60', CUPAAS_ROUTER_DATA_PLANE: 'haproxy' },
    });
    platforms.push(p);
    writeNetrc(p);
    const app = 'dk-survive';
    const appId = ((await p.api('POST', '/apps', { name: app })).body as { id: string }).id;
    const tree = await appWorkTree(p, app, 'node-hello');
    await tree.commit('hello');
    assert.equal((await tree.push()).code, 0);
    assert.equal((await p.api('PATCH', `/apps/${app}/formation/web`, { quantity: 2 })).status, 200);
    const routed = () => viaRouter(p.routerUrl!, '/', app);
    await waitFor(async () => {
      const cs = (await appContainers(p.home, appId)).filter((c) => c.dyno.startsWith('web.'));
      return cs.length === 2 && (await routed()).status === 200 ? cs : undefined;
    }, { timeoutMs: 120_000, intervalMs: 250, what: 'two web containers serving' });
    const before = await appContainers(p.home, appId);
    const stop = new AbortController();
    const loop = requestLoop(routed, stop.signal);
    await p.kill9();
    p = await p.restart();
    platforms.push(p);
    await waitFor(async () => ((await p.api('GET', `/apps/${app}/dynos`)).body as Array<{ state: string }>).filter((d) => d.state === 'up').length === 2 || undefined, {
      timeoutMs: 120_000, intervalMs: 250, what: 'both dynos up after the restart',
    });
    stop.abort();
    const { ok, failed } = await loop;
    assert.match(p.output(), /adopt\w*[^\n]*haproxy|haproxy[^\n]*adopt/i, 'the restarted server adopted the running data plane');
    assert.deepEqual(failed, []);
    assert.ok(ok > 10, `only ${ok} requests`);
    const afterRestart = await appContainers(p.home, appId);
    assert.deepEqual(afterRestart.map((c) => `${c.id} ${c.startedAt}`).sort(), before.map((c) => `${c.id} ${c.startedAt}`).sort());
  });
});

/**
 * A Compose app on the `docker` runtime end to end (slow): `git push` of a
 * repository with only a compose file and its Dockerfile deploys web (built,
 * listening on its own port 3000), a worker (same build, own command) and a
 * redis service that becomes the app's redis add-on: REDIS_URL is the add-on's,
 * the worker's `CACHE_HOST`/`CACHE_PORT`/`CACHE_PASSWORD` point at it, the
 * worker writes to redis and the web, served through the router, reads it.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../src/shared/net.js';
import { run } from '../../src/shared/process.js';
import { waitFor } from '../../src/shared/wait.js';
import { appContainers, engineMissing, removeEngineObjects } from '../support/engine.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const missing = await engineMissing();
const redisMissing = (await run(['sh', '-c', 'command -v redis-server'])).code === 0 ? null : 'redis-server is not installed';
const APP = 'cmp-shop';

const COMPOSE = `
services:
  web:
    build: .
    ports: ["8080:3000"]
    cap_add: [NET_ADMIN]
    environment:
      REDIS_URL: redis://cache:6379/0
      GREETING: "\${GREETING:-hello}"
    depends_on: [cache, worker]
  worker:
    build: .
    command: ["node", "worker.js"]
    environment:
      CACHE_HOST: cache
      CACHE_PORT: "6379"
      CACHE_PASSWORD: ""
    depends_on:
      cache: { condition: service_started }
  cache:
    image: redis:7-alpine
    volumes: ["cache-data:/data"]
volumes:
  cache-data: {}
networks:
  back: {}
`;

const DOCKERFILE = `FROM cupaas/stack:latest
COPY redis.js web.js worker.js /srv/
WORKDIR /srv
CMD ["node", "web.js"]
`;

/** A tiny RESP client: one command per connection, no packages needed. */
const REDIS_JS = `const net = require('net');
module.exports = (host, port, password, args) => new Promise((resolve, reject) => {
  const cmd = (a) => '*' + a.length + '\\r\\n' + a.map((x) => '$' + Buffer.byteLength(x) + '\\r\\n' + x + '\\r\\n').join('');
  const s = net.connect(Number(port), host);
  let buf = '';
  const want = password ? 2 : 1;
  s.setEncoding('utf8');
  s.on('data', (d) => {
    buf += d;
    if (buf.split('\\r\\n').filter((l) => /^[+\\-:$]/.test(l)).length >= want) { s.end(); resolve(buf); }
  });
  s.on('error', reject);
  s.write((password ? cmd(['AUTH', password]) : '') + cmd(args));
});
`;

const WORKER_JS = `const redis = require('./redis.js');
const { CACHE_HOST, CACHE_PORT, CACHE_PASSWORD } = process.env;
console.log('worker writing to ' + CACHE_HOST + ':' + CACHE_PORT);
setInterval(() => redis(CACHE_HOST, CACHE_PORT, CACHE_PASSWORD, ['SET', 'beat', 'from-' + process.env.DYNO]).catch((e) => console.log('redis: ' + e.message)), 300);
`;

const WEB_JS = `const redis = require('./redis.js');
const u = new URL(process.env.REDIS_URL);
require('http').createServer(async (req, res) => {
  try {
    const reply = await redis(u.hostname, u.port || 6379, decodeURIComponent(u.password), ['GET', 'beat']);
    const value = reply.split('\\r\\n').filter((l) => l && !/^[+$*:]/.test(l)).pop() || '';
    res.end(process.env.GREETING + ' ' + value + ' port=' + process.env.PORT);
  } catch (e) {
    res.statusCode = 500;
    res.end(e.message);
  }
}).listen(3000);
`;

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

  before(async () => {
    const routerPort = await freePort('127.0.0.1');
    const registryPort = await freePort('127.0.0.1');
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
    await tree.commit('compose app', {
      'compose.yaml': COMPOSE, Dockerfile: DOCKERFILE, 'redis.js': REDIS_JS, 'web.js': WEB_JS, 'worker.js': WORKER_JS,
    });
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
  });

  test('a named volume on a non-database service refuses the push and changes nothing', async () => {
    const tree = await appWorkTree(p, APP);
    await tree.commit('volume', {
      'compose.yaml': 'services:\n  web:\n    build: .\n    volumes: ["uploads:/srv/uploads"]\nvolumes: {uploads: {}}\n',
      Dockerfile: DOCKERFILE, 'redis.js': REDIS_JS, 'web.js': WEB_JS, 'worker.js': WORKER_JS,
    });
    const push = await tree.push('+HEAD:main');
    assert.notEqual(push.code, 0);
    assert.match(push.output, /named volume "uploads" is not supported: dynos have ephemeral filesystems/);
    assert.equal((await viaRouter(p.routerUrl as string)).status, 200);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addonKindOfImage, addonPart, referAddons } from './addons.js';
import { interpolate } from './interpolate.js';
import { parseCompose } from './parse.js';

const parse = (text: string, vars: Record<string, string> = {}) => parseCompose(text, 'compose.yaml', vars);
const rejects = (text: string, pattern: RegExp) => assert.throws(() => parse(text), (e: Error) => pattern.test(e.message));

describe('compose: process types', () => {
  test('web + worker + redis: web by name, worker by service, redis an add-on, references resolved', () => {
    const app = parse(`
services:
  web:
    build: .
    ports: ["8080:3000"]
    environment:
      REDIS_URL: redis://cache:6379/0
      GREETING: hi
    depends_on: [cache, worker]
  worker:
    build: { context: ./worker, dockerfile: Dockerfile.worker, args: { MODE: fast } }
    command: node worker.js --fast
    environment: ["CACHE_HOST=cache", "CACHE_PORT=6379", "OTHER=1"]
    depends_on: { cache: { condition: service_healthy } }
  cache:
    image: redis:7-alpine
    volumes: ["cache-data:/data"]
volumes: { cache-data: {} }
`);
    assert.deepEqual(app.addons, [{ service: 'cache', kind: 'redis' }]);
    assert.deepEqual(app.processes.map((p) => p.type), ['worker', 'web'], 'worker starts before web (depends_on)');
    const [worker, web] = app.processes;
    assert.deepEqual(web?.source, { kind: 'build', context: '.', dockerfile: null, args: {}, target: null });
    assert.equal(web?.port, 3000);
    assert.deepEqual(web?.env, { REDIS_URL: { addon: 'cache', part: 'url' }, GREETING: 'hi' });
    assert.deepEqual(web?.dependsOn, ['worker']);
    assert.deepEqual(worker?.source, { kind: 'build', context: './worker', dockerfile: 'Dockerfile.worker', args: { MODE: 'fast' }, target: null });
    assert.deepEqual(worker?.command, ['node', 'worker.js', '--fast']);
    assert.deepEqual(worker?.env, { CACHE_HOST: { addon: 'cache', part: 'host' }, CACHE_PORT: { addon: 'cache', part: 'port' }, OTHER: '1' });
    assert.equal(worker?.port, null);
    assert.ok(app.warnings.some((w) => w.includes('"cache" becomes a redis add-on')));
  });

  const webCases: Array<[string, string, string[], number | null]> = [
    ['the service publishing a port is web', 'services:\n  api: {image: "nginx:1", ports: [80]}\n  jobs: {image: "busybox"}\n', ['web', 'jobs'], 80],
    ['long port syntax, udp skipped', 'services:\n  app:\n    image: x\n    ports: [{target: 53, protocol: udp}, {target: 8000, published: 80}]\n', ['web'], 8000],
    ['host ip and range', 'services:\n  app: {image: x, ports: ["127.0.0.1:8080-8081:9000-9001/tcp"]}\n', ['web'], 9000],
    ['named web without ports reads $PORT', 'services:\n  web: {image: x}\n  clock: {image: y}\n', ['web', 'clock'], null],
    ['named web with expose', 'services:\n  web: {image: x, expose: ["5000"]}\n', ['web'], 5000],
    ['no web at all: workers only', 'services:\n  worker: {image: x}\n', ['worker'], null],
  ];
  for (const [name, text, types, port] of webCases) {
    test(name, () => {
      const app = parse(text);
      assert.deepEqual(app.processes.map((p) => p.type), types);
      assert.equal(app.processes.find((p) => p.type === 'web')?.port ?? null, port);
    });
  }

  test('quantity from deploy.replicas or scale; image services used as they are', () => {
    const app = parse('services:\n  web: {image: "ghcr.io/acme/site@sha256:abc", deploy: {replicas: 3}}\n  worker: {image: w, scale: 2}\n');
    assert.deepEqual(app.processes.map((p) => [p.type, p.quantity]), [['web', 3], ['worker', 2]]);
    assert.deepEqual(app.processes[0]?.source, { kind: 'image', image: 'ghcr.io/acme/site@sha256:abc' });
  });

  test('${VAR} substitution uses config vars only, with defaults; unset ones are reported', () => {
    process.env.COMPOSE_TEST_SHELL = 'from-shell';
    const app = parse(
      'services:\n  web:\n    image: "app:${TAG:-latest}"\n    environment:\n      A: "${GREETING}"\n      B: "${COMPOSE_TEST_SHELL}"\n      C: "$$HOME"\n      FROM_CONFIG:\n',
      { GREETING: 'hello', FROM_CONFIG: 'cfg' },
    );
    assert.deepEqual(app.processes[0]?.source, { kind: 'image', image: 'app:latest' });
    assert.deepEqual(app.processes[0]?.env, { A: 'hello', B: '', C: '$HOME', FROM_CONFIG: 'cfg' });
    assert.ok(app.warnings.some((w) => w.includes('COMPOSE_TEST_SHELL is not set')));
  });
});

describe('compose: add-ons', () => {
  const kinds: Array<[string, string | null]> = [
    ['postgres:16', 'postgres'], ['docker.io/library/postgres:16-alpine', 'postgres'], ['bitnami/postgresql', 'postgres'],
    ['redis', 'redis'], ['mysql:8', 'mysql'], ['mariadb:11@sha256:00', 'mysql'], ['mongo:7', 'mongodb'],
    ['nginx:1', null], ['localhost:5000/redis-commander', null],
  ];
  for (const [image, kind] of kinds) test(`${image} → ${kind}`, () => assert.equal(addonKindOfImage(image), kind));

  test('opt-out at the top or per service keeps them as process types', () => {
    const top = parse('x-cupaas: {addons: false}\nservices:\n  web: {build: .}\n  db: {image: postgres}\n');
    assert.deepEqual([top.addons, top.processes.map((p) => p.type)], [[], ['web', 'db']]);
    const one = parse('services:\n  web: {build: .}\n  db: {image: postgres}\n  cache: {image: redis, x-cupaas: {addon: false}}\n');
    assert.deepEqual([one.addons.map((a) => a.service), one.processes.map((p) => p.type)], [['db'], ['web', 'cache']]);
  });

  test('a built service is never an add-on even when named like one', () => {
    assert.deepEqual(parse('services:\n  redis: {build: ./redis}\n').addons, []);
  });

  test('references: URLs, names, host:port and X_HOST siblings', () => {
    const env = referAddons(
      { DATABASE_URL: 'postgres://u:p@db:5432/app', DB_HOST: 'db', DB_PORT: '5432', DB_USER: 'u', DB_PASSWORD: 'p', DB_NAME: 'app', ADDR: 'db:5432', KEEP: 'dbx', WEB: 'https://example.com' },
      new Set(['db']),
    );
    assert.deepEqual(env, {
      DATABASE_URL: { addon: 'db', part: 'url' }, DB_HOST: { addon: 'db', part: 'host' }, DB_PORT: { addon: 'db', part: 'port' },
      DB_USER: { addon: 'db', part: 'user' }, DB_PASSWORD: { addon: 'db', part: 'password' }, DB_NAME: { addon: 'db', part: 'database' },
      ADDR: { addon: 'db', part: 'hostport' }, KEEP: 'dbx', WEB: 'https://example.com',
    });
    const url = 'postgres://app_1:s%40cret@10.0.0.9:55432/app_db';
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, typeof v === 'string' ? v : addonPart(url, (v as { part: Parameters<typeof addonPart>[1] }).part)]));
    assert.deepEqual(resolved, {
      DATABASE_URL: url, DB_HOST: '10.0.0.9', DB_PORT: '55432', DB_USER: 'app_1', DB_PASSWORD: 's@cret', DB_NAME: 'app_db',
      ADDR: '10.0.0.9:55432', KEEP: 'dbx', WEB: 'https://example.com',
    });
    assert.equal(addonPart('redis://:pw@h', 'port'), '6379');
  });
});

describe('compose: refused and reported', () => {
  const refused: Array<[string, string, RegExp]> = [
    ['named volume', 'services:\n  web:\n    build: .\n    volumes: ["data:/var/data"]\n', /line 4: services\.web\.volumes\.0: named volume "data" is not supported: dynos have ephemeral filesystems/],
    ['bind mount', 'services:\n  web: {build: ., volumes: [{type: bind, source: ./src, target: /app}]}\n', /bind mount "\.\/src"/],
    ['no build nor image', 'services:\n  web: {command: x}\n', /services\.web: expected `build:` or `image:`/],
    ['build context outside the repo', 'services:\n  web: {build: ../other}\n', /inside the repository/],
    ['two services publish ports', 'services:\n  a: {image: x, ports: [80]}\n  b: {image: y, ports: [81]}\n', /line 3: .*name it "web"/],
    ['depends_on cycle', 'services:\n  a: {image: x, depends_on: [b]}\n  b: {image: y, depends_on: [a]}\n', /cycle: a → b → a/],
    ['unknown dependency', 'services:\n  a: {image: x, depends_on: [nope]}\n', /no service named "nope"/],
    ['service name not a process type', 'services:\n  my.app: {image: x}\n', /may contain only letters/],
    ['no services', 'services: {}\n', /at least one service/],
    ['not YAML', 'services: [\n', /compose\.yaml/],
  ];
  for (const [name, text, pattern] of refused) test(name, () => rejects(text, pattern));

  test('anonymous volumes pass (they are as ephemeral as the dyno)', () => {
    assert.equal(parse('services:\n  web: {build: ., volumes: ["/tmp/cache"]}\n').processes.length, 1);
  });

  test('unsupported keys are listed, not silently ignored', () => {
    const app = parse('version: "3"\nnetworks: {front: {}}\nsecrets: {}\nservices:\n  web:\n    build: .\n    privileged: true\n    cap_add: [NET_ADMIN]\n    healthcheck: {test: [CMD, "true"]}\n    deploy: {replicas: 2, resources: {limits: {memory: 1g}}}\n  worker: {image: w, ports: [9000]}\n');
    assert.ok(app.warnings.includes('compose.yaml: not applied on cupaas: networks, secrets'), app.warnings.join('\n'));
    assert.ok(app.warnings.includes('compose.yaml: services.web: not applied on cupaas: privileged, cap_add, healthcheck, deploy.resources'));
    assert.ok(app.warnings.some((w) => w.includes('services.worker: ports are not published')));
  });
});

test('interpolate', () => {
  const missing = new Set<string>();
  const vars = { A: 'a', E: '' };
  const cases: Array<[string, string]> = [
    ['$A-${A}', 'a-a'], ['${E:-d}', 'd'], ['${E-d}', ''], ['${N-d}', 'd'], ['$$A', '$A'], ['x${N}y', 'xy'],
  ];
  for (const [input, want] of cases) assert.equal(interpolate(input, vars, missing), want, input);
  assert.deepEqual([...missing], ['N']);
});

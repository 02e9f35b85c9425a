/** Manifests: what each file means, and errors that name the file, the line and what was expected. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICE_ALIASES, SERVICE_NAMES } from '../../domain/index.js';
import { parseAppJson } from './app-json.js';
import { parseCupaasFile } from './cupaas-file.js';
import { planFromManifests } from './plan.js';
import { parseProcfile } from './procfile.js';
import type { Manifests } from './read.js';
import { parseHerokuYml } from './heroku-yml.js';

const SERVICES = SERVICE_NAMES;
const manifests = (m: Partial<Manifests>): Manifests => ({ procfile: null, appJson: null, cupaas: null, herokuYml: null, warnings: [], ...m });

describe('Procfile', () => {
  it('reads types, skips comments and blanks, and the last duplicate wins', () => {
    const text = '# processes\nweb: node server.js --port $PORT\n\nworker:python3 w.py\nweb: npm start\n';
    assert.deepEqual(parseProcfile(text), { web: 'npm start', worker: 'python3 w.py' });
  });

  it('names the line of a malformed entry', () => {
    assert.throws(() => parseProcfile('web: a\nnot a process\n'), /Procfile line 2: expected "<process type>: <command>"/);
    assert.throws(() => parseProcfile('we b: a\n'), /Procfile line 1: process type "we b"/);
    assert.throws(() => parseProcfile('\n\nweb:\n'), /Procfile line 3: expected a command after "web:"/);
  });
});

describe('app.json', () => {
  it('accepts Heroku-shaped content', () => {
    const j = parseAppJson(JSON.stringify({
      name: 'x', env: { A: '1', B: { value: '2' }, S: { generator: 'secret' } }, formation: { web: { quantity: 2, size: 'standard-2x' } },
      buildpacks: [{ url: 'heroku/nodejs' }], addons: ['heroku-postgresql:mini', { plan: 'redis' }], scripts: { postdeploy: 'echo hi' },
    }), SERVICES);
    assert.equal(j.formation?.web?.quantity, 2);
  });

  it('names the line of a JSON syntax error and of a wrong field', () => {
    assert.throws(() => parseAppJson('{\n  "env": {\n    "A": "1",\n  }\n}', SERVICES), /app\.json line 4: expected valid JSON/);
    assert.throws(
      () => parseAppJson('{\n  "formation": {\n    "web": {\n      "size": "huge"\n    }\n  }\n}', SERVICES),
      /app\.json line 4: formation\.web\.size: /,
    );
    assert.throws(() => parseAppJson('{\n  "addons": [\n    "cassandra"\n  ]\n}', SERVICES), /line 3: addons\.0: .*supported: postgres/);
    assert.throws(() => parseAppJson('[1]', SERVICES), /app\.json line 1: expected a JSON object/);
  });
});

describe('.cupaas', () => {
  it('reads runtime, services and buildpacks, warning about unknown keys', () => {
    const { file, warnings } = parseCupaasFile('runtime: python\nservices: [postgres, redis]\nhealthz: /up\n', SERVICES);
    assert.deepEqual(file, { runtime: 'python', services: ['postgres', 'redis'] });
    assert.match(warnings[0] ?? '', /\.cupaas line 3: unknown key "healthz" ignored/);
  });

  it('names the line of YAML errors, unknown runtimes and services', () => {
    assert.throws(() => parseCupaasFile('runtime: node\nservices: [redis\n', SERVICES), /\.cupaas line \d: expected valid YAML/);
    assert.throws(() => parseCupaasFile('\nruntime: cobol\n', SERVICES), /\.cupaas line 2: runtime: unknown runtime; supported: node, python, static, generic/);
    assert.throws(() => parseCupaasFile('services:\n  - redis\n  - kafka\n', SERVICES), /\.cupaas line 3: services\.1: unknown service; supported: postgres, redis, mysql, mongodb/);
    assert.throws(() => parseCupaasFile('- node\n', SERVICES), /\.cupaas line 1: expected a mapping/);
  });
});

describe('planFromManifests', () => {
  it('prefers requested buildpacks, then the .cupaas runtime, then app.json buildpacks', () => {
    const appJson = parseAppJson('{"buildpacks":[{"url":"https://example.com/bp.git"}]}', SERVICES);
    const both = manifests({ appJson, cupaas: { runtime: 'python' } });
    assert.deepEqual(planFromManifests(both, {}, ['static']).buildpacks, ['static']);
    assert.deepEqual(planFromManifests(both, {}, []).buildpacks, ['python']);
    assert.deepEqual(planFromManifests(manifests({ appJson }), {}, []).buildpacks, ['https://example.com/bp.git']);
    assert.deepEqual(planFromManifests(manifests({}), {}, []).buildpacks, []);
  });

  it('merges services, fills env defaults the app lacks, and requires required vars', () => {
    const appJson = parseAppJson(
      JSON.stringify({ env: { KEEP: 'default', NEW: { value: 'v' }, TOKEN: { generator: 'secret' } }, addons: ['heroku-postgresql:mini'] }),
      SERVICES,
    );
    const plan = planFromManifests(manifests({ appJson, cupaas: { services: ['redis', 'postgres'] } }), { KEEP: 'mine' }, []);
    assert.deepEqual(plan.services, ['redis', 'postgres']);
    assert.equal(plan.configDefaults.NEW, 'v');
    assert.equal(plan.configDefaults.KEEP, undefined);
    assert.ok((plan.configDefaults.TOKEN ?? '').length >= 32);
    const needy = parseAppJson('{"env":{"API_KEY":{"description":"the key"}}}', SERVICES);
    assert.throws(() => planFromManifests(manifests({ appJson: needy }), {}, []), /config var API_KEY is required/);
    assert.doesNotThrow(() => planFromManifests(manifests({ appJson: needy }), { API_KEY: 'set' }, []));
  });
});

describe('health-check path', () => {
  it('is read from .cupaas (a path or {path}) and app.json, .cupaas first', () => {
    assert.equal(parseCupaasFile('healthcheck: /health\n', SERVICES).file.healthcheck, '/health');
    assert.equal(parseCupaasFile('healthcheck:\n  path: /ready?full=1\n', SERVICES).file.healthcheck, '/ready?full=1');
    assert.equal(parseAppJson('{"healthcheck": "/up"}', SERVICES).healthcheck, '/up');
    assert.equal(parseAppJson('{"healthcheck": {"path": "/up"}}', SERVICES).healthcheck, '/up');
    const appJson = parseAppJson('{"healthcheck": "/from-app-json"}', SERVICES);
    assert.equal(planFromManifests(manifests({ appJson }), {}, []).healthCheckPath, '/from-app-json');
    assert.equal(planFromManifests(manifests({ appJson, cupaas: { healthcheck: '/from-cupaas' } }), {}, []).healthCheckPath, '/from-cupaas');
    assert.equal(planFromManifests(manifests({}), {}, []).healthCheckPath, null);
    assert.deepEqual(parseCupaasFile('healthcheck: /health\n', SERVICES).warnings, []);
  });

  it('must start with "/", hold no spaces, stay short; errors name the file and line', () => {
    assert.throws(() => parseCupaasFile('runtime: node\nhealthcheck: health\n', SERVICES), /\.cupaas line 2: healthcheck: .*starting with "\/"/);
    assert.throws(() => parseCupaasFile('healthcheck: /a b\n', SERVICES), /\.cupaas line 1: healthcheck: .*no spaces/);
    assert.throws(() => parseCupaasFile('healthcheck:\n  path: x\n', SERVICES), /\.cupaas line 2: healthcheck/);
    assert.throws(() => parseCupaasFile('healthcheck:\n  route: /x\n', SERVICES), /\.cupaas line \d: healthcheck/);
    assert.throws(() => parseCupaasFile(`healthcheck: /${'a'.repeat(256)}\n`, SERVICES), /\.cupaas line 1: healthcheck: .*at most 256/);
    assert.throws(() => parseAppJson('{\n  "name": "x",\n  "healthcheck": "http://x/health"\n}', SERVICES), /app\.json line 3: healthcheck: /);
    assert.throws(() => parseAppJson('{"healthcheck": 200}', SERVICES), /app\.json line 1: healthcheck/);
  });
});

describe('declared services', () => {
  const every = SERVICE_NAMES.flatMap((name) => [name, ...SERVICE_ALIASES[name]].map((alias) => ({ name, alias })));

  it('accept every service name and alias, in .cupaas and app.json, and plan them under the canonical name', () => {
    for (const { name, alias } of every) {
      const { file } = parseCupaasFile(`services: [${alias}]\n`, SERVICES);
      assert.deepEqual(file.services, [name], alias);
      const appJson = parseAppJson(JSON.stringify({ addons: [`${alias}:some-plan`, { plan: alias }] }), SERVICES);
      assert.deepEqual(planFromManifests(manifests({ appJson }), {}, []).services, [name], alias);
    }
  });

  it('reject unknown services naming the supported set and its aliases', () => {
    const supported = /supported: postgres, redis, mysql, mongodb \(also accepted: postgresql, heroku-postgresql, pg, heroku-redis/;
    assert.throws(() => parseCupaasFile('services: [kafka]\n', SERVICES), supported);
    assert.throws(() => parseAppJson('{"addons": ["heroku-kafka:basic-0"]}', SERVICES), supported);
  });

  it('reject a catalogue service this platform does not offer', () => {
    assert.throws(() => parseCupaasFile('services: [mongo]\n', ['postgres']), /services\.0: unknown service; supported: postgres \(also/);
  });
});

describe('heroku.yml', () => {
  it('reads build.docker, build.config and run', () => {
    const text = 'build:\n  docker:\n    web: Dockerfile\n    worker: Dockerfile\n  config:\n    NODE_ENV: production\n    WORKERS: 2\nrun:\n  worker: node worker.js\n';
    assert.deepEqual(parseHerokuYml(text), {
      build: { docker: { web: 'Dockerfile', worker: 'Dockerfile' }, config: { NODE_ENV: 'production', WORKERS: '2' } },
      run: { worker: 'node worker.js' },
    });
  });

  it('names the line of a Dockerfile outside the app and of the image form of run', () => {
    assert.throws(() => parseHerokuYml('build:\n  docker:\n    web: ../Dockerfile\n'), /heroku\.yml line 3: build\.docker\.web: expected a path inside the app/);
    assert.throws(() => parseHerokuYml('run:\n  web:\n    command: [x]\n'), /heroku\.yml line \d: run\.web: expected a command string/);
  });
});

/**
 * Sandboxed builds against a hostile build (test/fixtures/hostile-build):
 * pushed to a real platform (as root, as CI runs), its `npm run build` tries
 * to read the platform's secrets, see host processes, write outside its dirs,
 * reach the API port, fork-bomb, hog memory, and config vars try BASH_ENV,
 * NODE_OPTIONS and LD_PRELOAD. Every attempt must fail while the build itself
 * succeeds and still reaches the configured npm mirror. Buildpacks by host
 * path must be refused. Needs root with bubblewrap and cgroups.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectSandbox, formatSupport } from '../../src/sandbox/index.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';
import { SANDBOX_AUTO } from '../support/sandbox-config.js';

const FIXTURE = new URL('../fixtures/hostile-build/', import.meta.url).pathname;
const support = await detectSandbox(SANDBOX_AUTO);
const skip = support.user && support.cgroups ? false : `needs root with bubblewrap and cgroups; here:\n${formatSupport(support)}`;

const fixtureFiles = () => Object.fromEntries(readdirSync(FIXTURE).map((f) => [f, readFileSync(join(FIXTURE, f), 'utf8')]));

/** The attempts build.js makes, each of which must be reported. */
const ATTEMPTS = [
  'read secret.key', 'read state.db', 'read credentials.json', 'read /etc/shadow', 'see the platform home', 'run as root',
  'hold capabilities', 'see host processes', 'startup variables from config vars', 'BASH_ENV ran', 'reach the API port',
  'reach the services address', 'reach the npm mirror', 'fork bomb', 'memory hog',
];

describe('sandboxed builds against a hostile build', { skip }, () => {
  let p: TestPlatform;
  let mirror: Server;

  before(async () => {
    // A stand-in for the package mirror an admin configures (npm_config_registry): the one way out.
    mirror = createServer((_req, res) => res.end('mirror says hi\n'));
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    const registry = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
    p = await startPlatform({ env: { npm_config_registry: registry, CUPAAS_BUILD_SIZE: 'standard-1x' } });
    writeNetrc(p);
  });
  after(async () => {
    await p?.cleanup();
    mirror?.close();
  });

  it('blocks every escape, while the build itself succeeds and reaches the mirror', async (t) => {
    assert.equal((await p.api('POST', '/apps', { name: 'hostile-build' })).status, 201);
    const config = {
      HOSTILE_HOME: p.home,
      HOSTILE_API_PORT: new URL(p.apiUrl).port,
      HOSTILE_SERVER_PID: String(p.process.pid),
      HOSTILE_FORK_LIMIT: '2000',
      HOSTILE_MEMORY_MB: '2048',
      BASH_ENV: '$(touch "$HOME/.bash-env-ran")',
      NODE_OPTIONS: '--require /hostile-node-options.js',
      LD_PRELOAD: '/hostile-preload.so',
    };
    assert.equal((await p.api('PATCH', '/apps/hostile-build/config-vars', config)).status, 200);
    const tree = await appWorkTree(p, 'hostile-build');
    t.after(() => rmSync(tree.dir, { recursive: true, force: true }));
    await tree.commit('a build that tries to escape', fixtureFiles());
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.doesNotMatch(push.output, /WITHOUT a sandbox/);
    assert.match(push.output, /config vars ignored during the build \(they change how shells and runtimes start\): BASH_ENV, NODE_OPTIONS, LD_PRELOAD/);

    const verdicts = new Map([...push.output.matchAll(/hostile-build: (.+?): (.+)$/gm)].map((m) => [m[1] as string, (m[2] as string).trim()]));
    assert.deepEqual(ATTEMPTS.filter((a) => !verdicts.has(a)), [], `every attempt reports:\n${push.output}`);
    assert.equal([...verdicts.keys()].filter((k) => k.startsWith('write ')).length, 3, 'three writes outside were tried');
    for (const [name, verdict] of verdicts) {
      if (name === 'reach the npm mirror') assert.match(verdict, /^ok \(mirror says hi\)$/, name);
      else assert.match(verdict, /^blocked/, `${name}: ${verdict}`);
    }
    assert.match(push.output, /The build ran out of memory \(limit 512 MB, the standard-1x size; CUPAAS_BUILD_SIZE\)/);
    assert.ok(!existsSync(join(p.home, 'pwned')), 'nothing was written into the platform home');
    assert.deepEqual(readdirSync(join(p.home, 'tmp')).filter((n) => n.startsWith('build-')), [], 'the build dir is gone');
  });

  it('refuses buildpacks given as host paths outside the app, by .. or file://', async (t) => {
    assert.equal((await p.api('POST', '/apps', { name: 'bp-paths' })).status, 201);
    const tree = await appWorkTree(p, 'bp-paths');
    t.after(() => rmSync(tree.dir, { recursive: true, force: true }));
    const cases: Array<[string, RegExp]> = [
      ['../../..', /goes through "\.\."/],
      [p.home, /is a server path, and no server directory is allowed/],
      [`file://${p.home}/repos`, /is a server path, and no server directory is allowed/],
      ['bp/../../..', /goes through "\.\."/],
    ];
    for (const [url, refusal] of cases) {
      await tree.commit(`buildpack ${url}`, { 'app.json': JSON.stringify({ buildpacks: [{ url }] }), 'index.html': 'hi\n' });
      const push = await tree.push();
      assert.notEqual(push.code, 0, `${url} was accepted:\n${push.output}`);
      assert.match(push.output, refusal, push.output);
    }
  });
});

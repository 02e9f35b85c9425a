/**
 * Heroku's release phase and app.json postdeploy, pushed with real git: the
 * `release:` command runs once per release in a one-off dyno before the new
 * dynos start, its output streams into the push and the logs, and a failing
 * one leaves the release failed and the previous one serving. postdeploy
 * runs after the first deploy only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc, type AppWorkTree } from '../support/push.js';

const APP = 'relphase';
let p: TestPlatform;
let tree: AppWorkTree;
before(async () => {
  p = await startPlatform();
  assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
  writeNetrc(p);
  tree = await appWorkTree(p, APP);
});
after(() => p?.cleanup());

const procfile = (release: string) => `web: python3 -m http.server $PORT\nrelease: ${release}\n`;
const logText = async () => {
  const s = await p.api('POST', `/apps/${APP}/log-sessions`, { lines: 1500 });
  return (await fetch(s.body.logplex_url)).text();
};
/** The version web.1 runs once it runs the newest release that did not fail. */
const webRelease = () =>
  waitFor(
    async () => {
      const releases = (await p.api('GET', `/apps/${APP}/releases`)).body as Array<{ version: number; status: string }>;
      const newest = releases.filter((r) => r.status !== 'failed').at(-1)?.version;
      const ps = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ name: string; state: string; release: { version: number } }>;
      const web = ps.find((d) => d.name === 'web.1' && d.state === 'up' && d.release.version === newest);
      return web?.release.version;
    },
    { timeoutMs: 90_000, what: 'web.1 up on the newest release' },
  );

describe('release phase', () => {
  it('runs the release command before the new dynos, streams it into the push and the logs; postdeploy runs after the first deploy', async () => {
    await tree.commit('v1', {
      Procfile: procfile('echo "migrating with $GREETING"'),
      'app.json': JSON.stringify({ env: { GREETING: { value: 'hola' } }, scripts: { postdeploy: 'echo "postdeploy ran on $DYNO"' } }),
    });
    const push = await tree.push();
    assert.equal(push.code, 0, push.output);
    assert.match(push.output, /remote: -----> Running release command/);
    assert.match(push.output, /remote: +migrating with hola/);
    assert.match(push.output, /remote: +postdeploy ran on postdeploy\.1/);
    const version = await webRelease();
    const logs = await logText();
    const migrated = logs.indexOf('app[release.1]: migrating with hola');
    const webStarted = logs.indexOf('heroku[web.1]: Starting process');
    assert.ok(migrated >= 0 && webStarted > migrated, `release phase before web.1 starts:\n${logs}`);
    assert.equal((await p.api('GET', `/apps/${APP}/releases/${version}`)).body.status, 'succeeded');

    await tree.commit('v2', { Procfile: procfile('echo "second release"'), 'changed.txt': 'x' });
    const again = await tree.push();
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /second release/);
    assert.doesNotMatch(again.output, /postdeploy/, 'postdeploy runs after the first deploy only');
  });

  it('a failing release command fails the release and keeps the previous one serving', async () => {
    const serving = await webRelease();
    await tree.commit('broken', { Procfile: procfile('echo "migration broke" >&2; exit 7'), 'changed.txt': 'y' });
    const push = await tree.push();
    assert.notEqual(push.code, 0, push.output);
    assert.match(push.output, /migration broke/);
    assert.match(push.output, /Release command failed.*exited with status 7/);
    const releases = (await p.api('GET', `/apps/${APP}/releases`)).body as Array<{ version: number; status: string }>;
    const newest = releases.at(-1)!;
    assert.equal(newest.status, 'failed');
    assert.ok(newest.version > serving);
    assert.equal(await webRelease(), serving);
    const ps = (await p.api('GET', `/apps/${APP}/dynos`)).body as Array<{ release: { version: number } }>;
    assert.ok(ps.every((d) => d.release.version !== newest.version), 'no dyno of the failed release ever runs');
  });
});

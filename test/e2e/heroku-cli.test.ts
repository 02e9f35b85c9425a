/**
 * The official `heroku` CLI (npm, v11) against a cupaas server: one-off dynos
 * through the rendezvous endpoint (trusting the platform CA through
 * NODE_EXTRA_CA_CERTS) and Heroku's add-on names.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { heroku, installHerokuCli } from '../support/heroku-cli.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const APP = 'hk';
const cli = await installHerokuCli();
const skip = 'skip' in cli ? cli.skip : false;

let p: TestPlatform;
describe('heroku CLI', { skip }, () => {
  const h = (args: readonly string[]) => heroku((cli as { bin: string }).bin, p, args);
  before(async () => {
    p = await startPlatform();
    assert.equal((await p.api('POST', '/apps', { name: APP })).status, 201);
    writeNetrc(p);
    const tree = await appWorkTree(p, APP);
    await tree.commit('app', { Procfile: 'web: python3 -m http.server $PORT\n' });
    const pushed = await tree.push();
    assert.equal(pushed.code, 0, pushed.output);
  });
  after(() => p?.cleanup());

  it('heroku run prints the command\'s output', async () => {
    const r = await h(['run', '-a', APP, 'echo', 'hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^hi$/m);
  });

  it('heroku run -x exits with the command\'s status', async () => {
    const r = await h(['run', '-x', '-a', APP, 'exit 3']);
    assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
    const ok = await h(['run', '-x', '--no-tty', '-a', APP, 'echo fine']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^fine$/m);
  });

  it('heroku run:detached starts a dyno whose output lands in the logs', async () => {
    const r = await h(['run:detached', '-a', APP, 'echo detached-$DYNO']);
    assert.equal(r.code, 0, r.stderr);
    const name = /run\.\d+/.exec(r.stdout + r.stderr)?.[0];
    assert.ok(name, r.stdout + r.stderr);
    await waitFor(
      async () => {
        const logs = await h(['logs', '-a', APP, '-n', '200']);
        return logs.stdout.includes(`detached-${name}`) || undefined;
      },
      { timeoutMs: 60_000, what: 'detached output in heroku logs' },
    );
  });

  it('heroku addons:create heroku-postgresql, addons, addons:info and addons:destroy', async () => {
    const created = await h(['addons:create', 'heroku-postgresql', '-a', APP]);
    assert.equal(created.code, 0, created.stderr);
    const [addon] = (await p.api('GET', `/apps/${APP}/addons`)).body as Array<{ name: string; addon_service: { name: string } }>;
    assert.ok(addon);
    assert.equal(addon.addon_service.name, 'postgres');
    assert.match(created.stdout + created.stderr, new RegExp(addon.name));
    const list = await h(['addons', '-a', APP]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(addon.name));
    const info = await h(['addons:info', addon.name, '-a', APP]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`Attachments: +${APP}::DATABASE`));
    const destroyed = await h(['addons:destroy', addon.name, '-a', APP, '--confirm', APP]);
    assert.equal(destroyed.code, 0, destroyed.stderr);
    assert.deepEqual((await p.api('GET', `/apps/${APP}/addons`)).body, []);
  });
});

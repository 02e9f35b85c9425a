/**
 * A first deploy whose dynos never boot (a crash loop, or a web process that
 * never binds $PORT) marks its release failed within a bounded time instead
 * of leaving it pending; its dynos keep backing off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startPlatform, type TestPlatform } from '../support/platform.js';
import { appWorkTree, writeNetrc } from '../support/push.js';

const BOOT_TIMEOUT_S = 3;
let p: TestPlatform;
before(async () => {
  p = await startPlatform({ env: { CUPAAS_BOOT_TIMEOUT: String(BOOT_TIMEOUT_S), CUPAAS_CRASH_BACKOFF_BASE: '1', CUPAAS_CRASH_BACKOFF_MAX: '2' } });
  writeNetrc(p);
});
after(() => p?.cleanup());

async function pushFirstDeploy(app: string, procfile: string) {
  assert.equal((await p.api('POST', '/apps', { name: app })).status, 201);
  const tree = await appWorkTree(p, app);
  await tree.commit('first', { Procfile: procfile });
  const push = await tree.push();
  assert.equal(push.code, 0, push.output);
}

const newest = async (app: string) => ((await p.api('GET', `/apps/${app}/releases`)).body as Array<{ version: number; status: string }>).at(-1)!;
const startsOf = async (app: string) => {
  const s = await p.api('POST', `/apps/${app}/log-sessions`, { lines: 1500 });
  const text = await (await fetch(s.body.logplex_url)).text();
  return text.split('\n').filter((l) => l.includes('heroku[web.1]: Starting process')).length;
};

describe('a first deploy that never boots', () => {
  for (const [app, procfile, why] of [
    ['crashloop', 'web: echo booting; exit 1\n', 'a crash loop'],
    ['nobind', 'web: sleep 600\n', 'a web process that never binds $PORT'],
  ] as const) {
    it(`fails its release for ${why}, and its dynos keep backing off`, async () => {
      await pushFirstDeploy(app, procfile);
      const failed = await waitFor(async () => ((await newest(app)).status === 'failed' ? newest(app) : undefined), {
        timeoutMs: 60_000, what: `${app}'s release to fail`,
      });
      const r = await p.api('GET', `/apps/${app}/releases/${failed.version}`);
      assert.match(r.body.status_reason ?? r.body.description ?? '', /failed to boot|web\.1/);
      const seen = await startsOf(app);
      await waitFor(async () => ((await startsOf(app)) > seen ? true : undefined), { timeoutMs: 60_000, what: `${app}'s web.1 to be restarted` });
      assert.equal((await newest(app)).status, 'failed', 'still failed, not pending again');
    });
  }
});

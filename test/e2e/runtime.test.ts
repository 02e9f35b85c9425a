/**
 * The reconciler and the local driver end to end, in-process: real dyno
 * processes from a real slug, a recording router, collected log lines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../src/shared/wait.js';
import { startRuntimeHarness, TEST_DYNO_SETTINGS } from '../support/runtime-harness.js';

describe('runtime: reconciler + local driver', () => {
  let h: Awaited<ReturnType<typeof startRuntimeHarness>>;
  before(async () => {
    h = await startRuntimeHarness();
    await h.startReconciler();
  });
  after(() => h.cleanup());

  const linesOf = (appId: string, match: string) => h.logs.lines.filter((l) => l.appId === appId && l.message.includes(match));

  test('web=1 by default; scaling web to 3 gives 3 distinct DYNO values, all serving', async () => {
    const app = h.deployApp('rt-scale');
    await h.serving(app, 1);
    const release = h.store.releases.current(app.id);
    await waitFor(() => h.store.releases.get(app.id, release!.version)?.status === 'succeeded', { what: 'release succeeded' });
    h.formation.update(app, [{ type: 'web', quantity: '+2' }]);
    const bodies = await h.serving(app, 3);
    assert.deepEqual(bodies.map((b) => b.dyno).sort(), ['web.1', 'web.2', 'web.3']);
    const views = h.reconciler.dynos(app.id);
    assert.deepEqual(views.map((v) => `${v.name}:${v.state}:${v.isolation}`), ['web.1:up:none', 'web.2:up:none', 'web.3:up:none']);

    h.formation.update(app, [{ type: 'web', quantity: 1 }]);
    await h.serving(app, 1);
    await waitFor(() => h.reconciler.dynos(app.id).length === 1, { what: 'scaled down' });
  });

  test('kill -9 of a dyno: it leaves the routes at once and is restarted', async () => {
    const app = h.deployApp('rt-kill');
    h.formation.update(app, [{ type: 'web', quantity: 2 }]);
    const bodies = await h.serving(app, 2);
    const victim = bodies.find((b) => b.dyno === 'web.2')!;
    const victimId = h.routing.current(app.id).find((b) => b.dynoName === 'web.2')!.dynoId;
    process.kill(victim.pid, 'SIGKILL');
    await waitFor(() => h.routing.history.some((x) => x.appId === app.id && x.dynoIds.length === 1 && !x.dynoIds.includes(victimId)), {
      what: 'victim removed from backends',
    });
    const after = await h.serving(app, 2);
    assert.ok(after.some((b) => b.dyno === 'web.2' && b.pid !== victim.pid));
    assert.ok(linesOf(app.id, 'State changed from up to crashed').length >= 1);
  });

  test('a crash-looping app backs off with growing waits and shows crashed', async () => {
    const app = h.deployApp('rt-crash', { MODE: 'crash' });
    await waitFor(() => linesOf(app.id, 'Starting process').length >= 5, { timeoutMs: 20_000, what: '5 start attempts' });
    const times = (match: string) => linesOf(app.id, match).map((l) => (l.time as Date).getTime());
    const starts = times('Starting process');
    const exits = times('Process exited with status 3');
    // The wait from each crash to the next start is the back-off alone (boot time is not in it), so
    // lower bounds hold however loaded the machine is: at once, then base, base*2, capped.
    const waits = [0, 1, 2, 3].map((k) => (starts[k + 1] as number) - (exits[k] as number));
    const { crashBackoffBaseMs: base, crashBackoffMaxMs: cap } = TEST_DYNO_SETTINGS;
    const slack = 25;
    assert.ok((waits[1] as number) >= base - slack, `waits ${waits}`);
    assert.ok((waits[2] as number) >= 2 * base - slack, `waits ${waits}`);
    assert.ok((waits[3] as number) >= Math.min(4 * base, cap) - slack, `waits ${waits}`);
    assert.ok((waits[0] as number) < (waits[2] as number), `the first crash restarts at once: waits ${waits}`);
    await waitFor(() => h.reconciler.dynos(app.id).some((v) => v.name === 'web.1' && v.state === 'crashed'), { what: 'crashed state' });
    assert.ok(linesOf(app.id, 'Process exited with status 3').length >= 4);
  });

  test('a web dyno that never binds $PORT is killed after the boot timeout (R10)', async () => {
    const app = h.deployApp('rt-hang', { MODE: 'hang' });
    await waitFor(() => linesOf(app.id, 'Error R10 (Boot timeout)').length > 0, { timeoutMs: 15_000, what: 'R10' });
    await waitFor(() => linesOf(app.id, 'State changed from starting to crashed').length > 0, { what: 'crashed' });
    assert.equal(h.routing.current(app.id).length, 0);
  });

  test('a new release rolls out with zero downtime and succeeds; a failing one keeps the old dynos', async () => {
    const app = h.deployApp('rt-zdt');
    h.formation.update(app, [{ type: 'web', quantity: 2 }]);
    await h.serving(app, 2);
    let stop = false;
    const results: Array<{ status: number; body: string }> = [];
    const loop = (async () => {
      while (!stop) results.push(await h.routing.request(app.id));
    })();
    /** Requests answered while `phase` ran (the loop is seen running first, so a phase cannot slip between requests unseen). */
    const during = async (phase: () => Promise<void>): Promise<number> => {
      const before = results.length;
      await waitFor(() => results.length > before, { what: 'a request answered' });
      const from = results.length;
      await phase();
      return results.length - from;
    };
    const answered: number[] = [];
    let v = 0;
    try {
      answered.push(await during(async () => {
        v = h.releases.setConfig(app, { GREETING: 'hi' }, h.user.id).release!.version;
        await h.serving(app, 2, v);
        await waitFor(() => h.store.releases.get(app.id, v)?.status === 'succeeded', { what: 'release succeeded' });
      }));
      answered.push(await during(async () => {
        const bad = h.releases.setConfig(app, { MODE: 'crash' }, h.user.id).release!;
        await waitFor(() => h.store.releases.get(app.id, bad.version)?.status === 'failed', { timeoutMs: 15_000, what: 'release failed' });
        assert.match(h.store.releases.get(app.id, bad.version)!.statusReason ?? '', /web\.\d failed to boot/);
        assert.ok(h.seen.some((e) => e.type === 'release.status' && e.appId === app.id && e.status === 'failed'));
        await waitFor(() => h.reconciler.dynos(app.id).every((d) => d.release.version === v), { what: 'new dynos gone' });
        await h.serving(app, 2, v);
      }));
    } finally {
      stop = true;
      await loop;
    }
    const failures = results.filter((r) => r.status !== 200);
    assert.deepEqual(failures, []);
    assert.ok(answered.every((n) => n > 0), `requests answered during each rollout: ${answered.join(', ')}`);
    assert.ok(new Set(results.map((r) => JSON.parse(r.body).release)).size === 2, 'served by both releases');
  });

  test('a worker without a web process runs', async () => {
    const app = h.deployApp('rt-worker');
    h.formation.update(app, [{ type: 'web', quantity: 0 }, { type: 'worker', quantity: 1 }]);
    await waitFor(() => linesOf(app.id, 'worker worker.1').length > 0 && h.reconciler.dynos(app.id).length === 1, {
      what: 'worker running',
    });
    assert.deepEqual(h.reconciler.dynos(app.id).map((d) => `${d.name}:${d.state}`), ['worker.1:up']);
    assert.equal(h.routing.current(app.id).length, 0);
  });
});

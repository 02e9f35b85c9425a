/** The build queue: one build per app at a time, different apps in parallel up to the limit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBuildQueue } from './queue.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('build queue', () => {
  it('runs builds of one app in order, telling the later one what it waits for', async () => {
    const q = createBuildQueue(4);
    const events: string[] = [];
    const g = gate();
    const hooks = (id: string) => ({ onWaitForApp: (b: string) => events.push(`${id} waits for ${b}`), onWaitForSlot: () => {} });
    const a = q.run('app', 'b1', hooks('b1'), async () => {
      events.push('b1 start');
      await g.opened;
      events.push('b1 end');
    });
    const b = q.run('app', 'b2', hooks('b2'), async () => void events.push('b2 start'));
    await Promise.resolve();
    assert.ok(q.busy('app'));
    g.open();
    await Promise.all([a, b]);
    assert.deepEqual(events.filter((e) => e !== 'b1 start'), ['b2 waits for b1', 'b1 end', 'b2 start']);
    assert.ok(!q.busy('app'));
  });

  it('runs different apps in parallel up to the limit, then queues for a slot', async () => {
    const q = createBuildQueue(2);
    let running = 0;
    let peak = 0;
    const waited: string[] = [];
    const g = gate();
    const job = (app: string) =>
      q.run(app, `${app}-build`, { onWaitForApp: () => {}, onWaitForSlot: () => waited.push(app) }, async () => {
        peak = Math.max(peak, ++running);
        await g.opened;
        running--;
      });
    const all = [job('a'), job('b'), job('c')];
    await new Promise((r) => setImmediate(r));
    assert.equal(running, 2);
    assert.deepEqual(waited, ['c']);
    g.open();
    await Promise.all(all);
    assert.equal(peak, 2);
  });

  it('keeps going after a failed build', async () => {
    const q = createBuildQueue(1);
    const noHooks = { onWaitForApp: () => {}, onWaitForSlot: () => {} };
    await assert.rejects(q.run('app', 'x', noHooks, async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await q.run('app', 'y', noHooks, async () => 42), 42);
  });
});

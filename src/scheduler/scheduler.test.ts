/** The scheduler against a real store, with its clock and its OneOffRunner port under the test's control. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LogLine, OneOffCommand } from '../domain/index.js';
import { newId } from '../shared/ids.js';
import { silentLogger } from '../shared/logger.js';
import { openStore, type CronJob } from '../store/index.js';
import { createScheduler, dueRuns } from './index.js';

const job = (schedule: string, over: Partial<CronJob> = {}): CronJob => ({
  id: newId(), appId: 'a', schedule, command: 'task', size: 'standard-1x', source: 'api', lastRunAt: null,
  createdAt: '2026-01-01T00:05:00.000Z', ...over,
});
const at = (t: string) => new Date(`2026-01-01T${t}Z`);

describe('dueRuns', () => {
  const cases: Array<{ name: string; jobs: CronJob[]; now: string; running?: string[]; expect: Array<[string, boolean]> }> = [
    { name: 'not due before its first time after creation', jobs: [job('*/10 * * * *')], now: '00:09:59', expect: [] },
    { name: 'due at its time', jobs: [job('*/10 * * * *')], now: '00:10:00', expect: [['00:10:00', true]] },
    { name: 'not again once recorded', jobs: [job('*/10 * * * *', { lastRunAt: '2026-01-01T00:10:00.000Z' })], now: '00:19:00', expect: [] },
    {
      name: 'after downtime, only the latest missed time runs',
      jobs: [job('*/10 * * * *', { lastRunAt: '2026-01-01T00:10:00.000Z' })], now: '00:55:00', expect: [['00:50:00', true]],
    },
    { name: 'a job still running skips its time', jobs: [job('*/10 * * * *', { id: 'busy' })], now: '00:10:30', running: ['busy'], expect: [['00:10:00', false]] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const due = dueRuns(c.jobs, at(c.now), new Set(c.running ?? []));
      assert.deepEqual(due.map((d) => [d.at.toISOString().slice(11, 19), d.run]), c.expect);
    });
  }
});

describe('scheduler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cupaas-scheduler-'));
  const store = openStore({ dbPath: join(dir, 'state.db'), secretKeyPath: join(dir, 'secret.key') });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const owner = store.users.create('s@example.com', 's');
  const t0 = new Date().toISOString();
  const app = { id: newId(), name: 'sched', ownerId: owner.id, teamId: null, deployBranch: 'main', maintenance: false, createdAt: t0, updatedAt: t0 };
  store.apps.insert(app);

  let clock = at('00:05:00');
  const started: OneOffCommand[] = [];
  const finish: Array<() => void> = [];
  const lines: LogLine[] = [];
  const make = () =>
    createScheduler({
      store, logger: silentLogger, now: () => clock, logs: { write: (_id, l) => lines.push(l) },
      runner: {
        runToExit: (cmd) => {
          started.push(cmd);
          return new Promise((resolve) => finish.push(() => resolve({ name: `scheduler.${started.length}`, status: 0 })));
        },
      },
    });

  it('validates jobs like the API: bad schedules, empty commands and unknown sizes are 422', () => {
    const s = make();
    assert.throws(() => s.add(app, { schedule: '* * *', command: 'x' }), /five fields/);
    assert.throws(() => s.add(app, { schedule: '* * * * *', command: ' ' }), /needs a command/);
    assert.throws(() => s.add(app, { schedule: '* * * * *', command: 'x', size: 'giant' }), /Unknown dyno size/);
    assert.deepEqual(s.list(app), []);
  });

  it('runs a due job once in a scheduler dyno, skips a time while it still runs, and never repeats a recorded time after a restart', async () => {
    const s = make();
    // Created "now", so its first time is the next one after the clock.
    const j = s.add(app, { schedule: '*/10 * * * *', command: 'python3 task.py' });
    store.cronJobs.setLastRun(j.id, at('00:05:00').toISOString());
    clock = at('00:10:01');
    s.tick();
    assert.deepEqual(started.map((c) => [c.type, c.command]), [['scheduler', 'python3 task.py']]);
    s.tick();
    assert.equal(started.length, 1, 'the same time is not run twice');

    clock = at('00:20:01');
    s.tick();
    assert.equal(started.length, 1, 'no overlap with the run still going');
    assert.ok(lines.some((l) => /Skipping job .* previous run is still going/.test(l.message)));

    finish.shift()?.();
    await new Promise((r) => setImmediate(r));
    const restarted = make();
    restarted.tick();
    assert.equal(started.length, 1, 'a restart does not run the recorded 00:20 again');
    clock = at('00:55:00');
    restarted.tick();
    restarted.tick();
    assert.equal(started.length, 2, 'after downtime the latest missed time runs once');
    assert.equal(store.cronJobs.list(app.id)[0]?.lastRunAt, at('00:50:00').toISOString());
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ObservedDyno } from '../runtime/index.js';
import type { Action, CrashRecord, DesiredApp, Observed } from './model.js';
import { plan } from './plan.js';

const S = { bootTimeoutMs: 1000, crashBackoffBaseMs: 100, crashBackoffMaxMs: 1000 };

const app = (over: Partial<DesiredApp> & { web?: number; worker?: number; version?: number; status?: 'pending' | 'succeeded' | 'failed' } = {}): DesiredApp => {
  const version = over.version ?? 2;
  return {
    appId: 'a', appName: 'app', restarts: {},
    release: { id: `r${version}`, version, status: over.status ?? 'succeeded', artifact: { slugChecksum: 'SHA256:x', image: null }, config: {}, healthCheckPath: null },
    processes: [
      { type: 'web', command: 'node server.js', quantity: over.web ?? 1, size: 'standard-1x' },
      { type: 'worker', command: 'node worker.js', quantity: over.worker ?? 0, size: 'standard-1x' },
    ],
    ...over,
  };
};

let seq = 0;
const dyno = (name: string, o: { version?: number; state?: ObservedDyno['state']; startedAt?: number; app?: string } = {}): ObservedDyno => {
  const type = name.split('.')[0] as string;
  const id = `${name}@v${o.version ?? 2}#${++seq}`;
  return {
    spec: {
      dynoId: id, appId: o.app ?? 'a', name, processType: type, releaseId: `r${o.version ?? 2}`, releaseVersion: o.version ?? 2,
      artifact: { slugChecksum: 'SHA256:x', image: null }, command: 'cmd', size: 'standard-1x', env: {}, web: type === 'web', healthCheckPath: null,
    },
    state: o.state ?? 'up', startedAt: o.startedAt ?? 0, since: 0, host: '127.0.0.1', port: 1000 + seq, isolation: 'none',
  };
};

const crash = (d: ObservedDyno, count: number, exitedAt: number, beforeUp = false): CrashRecord => ({
  dyno: d, count, exitedAt, beforeUp, reason: 'exited with status 3',
});

const observed = (dynos: ObservedDyno[], routed: ObservedDyno[] = [], crashes: CrashRecord[] = []): Observed => ({
  dynos, crashes, backends: new Map([['a', routed.map((d) => d.spec.dynoId)]]),
});

/** A readable summary of a plan: `start web.2`, `stop web.1@v2 replaced drain`, `route web.1@v3`, `failed`. */
const summary = (actions: readonly Action[]) =>
  actions.map((a) => {
    switch (a.kind) {
      case 'start':
        return `start ${a.name}@v${a.release.version}`;
      case 'stop':
        return `stop ${a.dyno.spec.name}@v${a.dyno.spec.releaseVersion} ${a.reason}${a.drain ? ' drain' : ''}`;
      case 'route':
        return `route ${a.backends.map((b) => b.dynoId.split('#')[0]).join(',')}`;
      case 'release-status':
        return `v${a.version} ${a.status}`;
    }
  }).sort();

describe('plan', () => {
  const cases: Array<{ name: string; desired: DesiredApp[]; observed: Observed; now?: number; expect: string[]; wakeAt?: number | null }> = [
    (() => ({
      name: 'a first deploy whose web dyno crashes at boot fails its release and restarts the dyno',
      desired: [app({ status: 'pending' })], observed: observed([], [], [crash(dyno('web.1'), 1, 5, true)]), now: 10,
      expect: ['start web.1@v2', 'v2 failed'],
    }))(),
    (() => ({
      name: 'a failed first deploy keeps backing off its crashing dyno and is not failed again',
      desired: [app({ status: 'failed' })], observed: observed([], [], [crash(dyno('web.1'), 3, 5, true)]), now: 10,
      expect: [], wakeAt: 205,
    }))(),
    (() => {
      const w = dyno('web.1', { state: 'starting', startedAt: 0 });
      return {
        name: 'a first deploy whose web dyno never binds is killed at the boot timeout (then fails as a boot crash)',
        desired: [app({ status: 'pending' })], observed: observed([w]), now: 1000, expect: ['stop web.1@v2 boot-timeout'],
      };
    })(),
    (() => {
      const w = dyno('web.1');
      return {
        name: 'a failed first deploy whose dyno comes up after all succeeds',
        desired: [app({ status: 'failed' })], observed: observed([w]), expect: ['route web.1@v2', 'v2 succeeded'],
      };
    })(),
    (() => ({ name: 'a new app starts web.1 and routes nothing yet', desired: [app()], observed: observed([]), expect: ['start web.1@v2'] }))(),
    (() => {
      const w1 = dyno('web.1');
      return { name: 'scale web 1 to 3 starts two', desired: [app({ web: 3 })], observed: observed([w1], [w1]), expect: ['start web.2@v2', 'start web.3@v2'] };
    })(),
    (() => {
      const [w1, w2, w3] = [dyno('web.1'), dyno('web.2'), dyno('web.3')];
      return {
        name: 'scale web 3 to 1 routes web.1 and drains the others',
        desired: [app({ web: 1 })], observed: observed([w1, w2, w3], [w1, w2, w3]),
        expect: ['route web.1@v2', 'stop web.2@v2 scaled-down drain', 'stop web.3@v2 scaled-down drain'],
      };
    })(),
    (() => {
      const old = dyno('web.1', { version: 2 });
      return {
        name: 'a new release boots its web dyno while the old one keeps serving',
        desired: [app({ version: 3, status: 'pending' })], observed: observed([old], [old]), expect: ['start web.1@v3'],
      };
    })(),
    (() => {
      const old = dyno('web.1', { version: 2 });
      const booting = dyno('web.1', { version: 3, state: 'starting', startedAt: 500 });
      return {
        name: 'the old release serves while the new dyno boots', desired: [app({ version: 3, status: 'pending' })],
        observed: observed([old, booting], [old]), now: 900, expect: [], wakeAt: 1500,
      };
    })(),
    (() => {
      const old = dyno('web.1', { version: 2 });
      const fresh = dyno('web.1', { version: 3 });
      return {
        name: 'once every new web dyno is up, traffic switches, the old is drained, the release succeeds',
        desired: [app({ version: 3, status: 'pending' })], observed: observed([old, fresh], [old]),
        expect: ['route web.1@v3', 'stop web.1@v2 replaced drain', 'v3 succeeded'],
      };
    })(),
    (() => {
      const old = [dyno('web.1', { version: 2 }), dyno('web.2', { version: 2 })];
      const fresh = dyno('web.1', { version: 3 });
      return {
        name: 'a partly booted release does not take traffic yet',
        desired: [app({ version: 3, status: 'pending', web: 2 })], observed: observed([...old, fresh], old),
        expect: ['start web.2@v3'],
      };
    })(),
    (() => {
      const old = dyno('web.1', { version: 2 });
      const failed = dyno('web.1', { version: 3, state: 'starting' });
      return {
        name: 'a boot failure of the new release while the old serves fails the release and changes nothing else',
        desired: [app({ version: 3, status: 'pending' })], observed: observed([old], [old], [crash(failed, 1, 100, true)]),
        expect: ['v3 failed'],
      };
    })(),
    (() => {
      const booting = dyno('web.1', { state: 'starting', startedAt: 0 });
      return {
        name: 'a web dyno not up within the boot timeout is killed (R10)', desired: [app()],
        observed: observed([booting]), now: 1000, expect: ['stop web.1@v2 boot-timeout'],
      };
    })(),
    (() => {
      const w = dyno('web.1');
      return { name: 'the first crash restarts at once', desired: [app()], observed: observed([], [w], [crash(w, 1, 100)]), now: 100, expect: ['route ', 'start web.1@v2'] };
    })(),
    (() => {
      const w = dyno('web.1');
      return {
        name: 'the third crash waits base*2 before the restart', desired: [app()], observed: observed([], [], [crash(w, 3, 100)]),
        now: 250, expect: [], wakeAt: 300,
      };
    })(),
    (() => {
      const w = dyno('web.1');
      return { name: 'after the back-off the dyno starts', desired: [app()], observed: observed([], [], [crash(w, 3, 100)]), now: 300, expect: ['start web.1@v2'] };
    })(),
    (() => {
      const w = dyno('web.1');
      return {
        name: 'back-off is capped', desired: [app()], observed: observed([], [], [crash(w, 30, 100)]), now: 200, expect: [], wakeAt: 1100,
      };
    })(),
    (() => {
      const w = dyno('web.1', { version: 2 });
      return {
        name: 'a new release resets the back-off', desired: [app({ version: 3, status: 'pending' })],
        observed: observed([], [], [crash(w, 9, 100)]), now: 101, expect: ['start web.1@v3'],
      };
    })(),
    (() => {
      const w = dyno('web.1');
      return {
        name: 'a restart request skips the back-off', desired: [app({ restarts: { web: 150 } })],
        observed: observed([], [], [crash(w, 9, 100)]), now: 200, expect: ['start web.1@v2'],
      };
    })(),
    (() => {
      const [w1, w2] = [dyno('web.1', { startedAt: 10 }), dyno('web.2', { startedAt: 10 })];
      return {
        name: 'a restart of web starts replacements and keeps the old serving meanwhile',
        desired: [app({ web: 2, restarts: { '': 50 } })], observed: observed([w1, w2], [w1, w2]),
        expect: ['start web.1@v2', 'start web.2@v2'],
      };
    })(),
    (() => {
      const [w1, w2] = [dyno('web.1', { startedAt: 10 }), dyno('web.2', { startedAt: 10 })];
      const n1 = dyno('web.1', { startedAt: 60 });
      const n2 = dyno('web.2', { startedAt: 60, state: 'starting' });
      return {
        name: 'a restart replaces dyno by dyno as replacements come up',
        desired: [app({ web: 2, restarts: { '': 50 } })], observed: observed([w1, w2, n1, n2], [w1, w2]), now: 100,
        expect: ['route web.1@v2,web.2@v2', 'stop web.1@v2 replaced drain'], wakeAt: 1060,
      };
    })(),
    (() => {
      const worker = dyno('worker.1', { version: 2 });
      return {
        name: 'other process types restart without waiting', desired: [app({ version: 3, status: 'pending', web: 0, worker: 1 })],
        observed: observed([worker]), expect: ['start worker.1@v3', 'stop worker.1@v2 replaced'],
      };
    })(),
    (() => ({
      name: 'a worker-only release succeeds once its worker runs', desired: [app({ status: 'pending', web: 0, worker: 1 })],
      observed: observed([dyno('worker.1')]), expect: ['v2 succeeded'],
    }))(),
    (() => {
      const [w1, w2] = [dyno('web.1'), dyno('web.2')];
      return {
        name: 'a crashed dyno leaves the routes at once', desired: [app({ web: 2 })],
        observed: observed([w1], [w1, w2], [crash(w2, 1, 0)]), expect: ['route web.1@v2', 'start web.2@v2'],
      };
    })(),
    (() => {
      const w = dyno('web.1');
      return { name: 'a destroyed app stops everything', desired: [], observed: observed([w], [w]), expect: ['route ', 'stop web.1@v2 not-desired drain'] };
    })(),
    (() => {
      const w = dyno('web.1');
      return { name: 'a release without a slug runs nothing', desired: [app({ release: null })], observed: observed([w], [w]), expect: ['route ', 'stop web.1@v2 not-desired drain'] };
    })(),
    (() => {
      const stopping = dyno('web.1', { state: 'stopping' });
      return { name: 'a dyno being stopped is neither stopped again nor counted', desired: [app()], observed: observed([stopping], []), expect: ['start web.1@v2'] };
    })(),
    (() => {
      const w = dyno('web.1');
      const resized = app();
      return {
        name: 'a new dyno size replaces the dyno like a restart',
        desired: [{ ...resized, processes: resized.processes.map((p) => ({ ...p, size: 'standard-2x' })) }],
        observed: observed([w], [w]), expect: ['start web.1@v2'],
      };
    })(),
    ...(() => {
      // Compose depends_on: web waits for an up worker of the release; a worker scaled to zero holds nothing.
      const dependent = (worker: number) => {
        const a = app({ worker });
        return { ...a, processes: a.processes.map((p) => (p.type === 'web' ? { ...p, dependsOn: ['worker'] } : p)) };
      };
      return [
        { name: 'depends_on: nothing up yet, only the dependency starts', desired: [dependent(1)], observed: observed([]), expect: ['start worker.1@v2'] },
        { name: 'depends_on: the dependency still starting holds web', desired: [dependent(1)], observed: observed([dyno('worker.1', { state: 'starting' })]), expect: [] },
        { name: 'depends_on: the dependency of an older release does not count', desired: [dependent(1)], observed: observed([dyno('worker.1', { version: 1 })]), expect: ['start worker.1@v2', 'stop worker.1@v1 replaced'] },
        { name: 'depends_on: the dependency up, web starts', desired: [dependent(1)], observed: observed([dyno('worker.1')]), expect: ['start web.1@v2'] },
        { name: 'depends_on: a dependency scaled to zero holds nothing', desired: [dependent(0)], observed: observed([]), expect: ['start web.1@v2'] },
      ];
    })(),
    (() => {
      const w = dyno('web.1');
      return { name: 'a converged app needs nothing', desired: [app()], observed: observed([w], [w]), expect: [], wakeAt: null };
    })(),
  ];

  for (const c of cases) {
    test(c.name, () => {
      const p = plan(c.desired, c.observed, c.now ?? 0, S);
      assert.deepEqual(summary(p.actions), [...c.expect].sort());
      if (c.wakeAt !== undefined) assert.equal(p.wakeAt, c.wakeAt);
    });
  }

  test('the same inputs give the same plan (level-based)', () => {
    const w = dyno('web.1');
    const input = observed([w], [w], []);
    assert.deepEqual(summary(plan([app({ web: 2 })], input, 0, S).actions), summary(plan([app({ web: 2 })], input, 0, S).actions));
  });
});

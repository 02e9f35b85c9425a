/** The declarative plan and the lines observed dyno changes are worth: pure, tables. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FormationDyno, FormationStatus } from '../runtime/index.js';
import { dynoChangeLines, formationSpec, planDeclarative, type DeclarativeObserved } from './declarative-plan.js';
import type { DesiredApp } from './model.js';

const app = (over: Partial<DesiredApp> = {}): DesiredApp => ({
  appId: 'a1', appName: 'one',
  release: { id: 'r2', version: 2, status: 'pending', artifact: { slugChecksum: null, image: { id: 'sha256:x', ref: 'reg/one:v2' } }, config: { A: '1' }, healthCheckPath: null },
  processes: [{ type: 'web', command: 'web-cmd', quantity: 2, size: 'basic' }],
  restarts: { '': 5, web: 7, 'web.1': 9, gone: 3 },
  ...over,
});
const hosts = () => ['one.test'];
const status = (over: Partial<FormationStatus> = {}): FormationStatus => ({
  appId: 'a1', releaseId: 'r2', rollout: { state: 'progressing' }, dynos: [], backends: [], ...over,
});
const keyOf = (a: DesiredApp) => JSON.stringify(formationSpec(a, hosts()));
const observed = (over: Partial<DeclarativeObserved> = {}): DeclarativeObserved => ({
  statuses: [], applied: new Map(), backends: new Map(), ...over,
});
const kinds = (actions: ReturnType<typeof planDeclarative>) =>
  actions.map((a) => (a.kind === 'release-status' ? `${a.status}${a.reason ? `: ${a.reason}` : ''}` : a.kind === 'route' ? `route ${a.backends.length}` : a.kind));

describe('formationSpec', () => {
  it('keeps restarts of the whole app and of its types; single dynos and unknown types have no target', () => {
    assert.deepEqual(formationSpec(app(), hosts())?.restarts, { '': 5, web: 7 });
  });
  it('is null when there is no release to run', () => {
    assert.equal(formationSpec(app({ release: null }), hosts()), null);
  });
});

describe('planDeclarative', () => {
  const a = app();
  const now = 1_000_000;
  const fresh = new Map([['a1', { key: keyOf(a), at: now - 10 }]]);
  const cases: { name: string; desired: DesiredApp[]; observed: DeclarativeObserved; want: string[] }[] = [
    { name: 'never applied: apply', desired: [a], observed: observed(), want: ['apply'] },
    { name: 'applied, unchanged, rolling out: nothing', desired: [a], observed: observed({ applied: fresh, statuses: [status()] }), want: [] },
    { name: 'desired changed: apply again', desired: [app({ processes: [{ type: 'web', command: 'web-cmd', quantity: 3, size: 'basic' }] })], observed: observed({ applied: fresh }), want: ['apply'] },
    { name: 'applied long ago: re-apply (drift)', desired: [a], observed: observed({ applied: new Map([['a1', { key: keyOf(a), at: now - 600_000 }]]) }), want: ['apply'] },
    { name: 'rollout complete: release succeeded', desired: [a], observed: observed({ applied: fresh, statuses: [status({ rollout: { state: 'complete' } })] }), want: ['succeeded'] },
    { name: 'rollout failed: release failed', desired: [a], observed: observed({ applied: fresh, statuses: [status({ rollout: { state: 'failed', reason: 'deadline' } })] }), want: ['failed: rollout failed: deadline'] },
    { name: 'complete but of another release: no verdict', desired: [a], observed: observed({ applied: fresh, statuses: [status({ releaseId: 'r1', rollout: { state: 'complete' } })] }), want: [] },
    { name: 'release already decided: no verdict', desired: [app({ release: { ...a.release!, status: 'succeeded' } })], observed: observed({ applied: new Map([['a1', { key: keyOf(app({ release: { ...a.release!, status: 'succeeded' } })), at: now }]]), statuses: [status({ rollout: { state: 'complete' } })] }), want: [] },
    { name: 'not applied yet: no verdict from an old observation', desired: [a], observed: observed({ statuses: [status({ rollout: { state: 'complete' } })] }), want: ['apply'] },
    { name: 'observed app nothing desires: remove', desired: [], observed: observed({ statuses: [status()] }), want: ['remove'] },
    { name: 'desired app without a release: remove', desired: [app({ release: null })], observed: observed({ statuses: [status()] }), want: ['remove'] },
    { name: 'the driver names a backend: route it', desired: [a], observed: observed({ applied: fresh, statuses: [status({ backends: [{ dynoId: 's', dynoName: 'web', host: 'h', port: 80 }] })] }), want: ['route 1'] },
    { name: 'backend already routed: nothing', desired: [a], observed: observed({ applied: fresh, backends: new Map([['a1', ['s']]]), statuses: [status({ backends: [{ dynoId: 's', dynoName: 'web', host: 'h', port: 80 }] })] }), want: [] },
    { name: 'a routed app nothing desires: unroute', desired: [], observed: observed({ backends: new Map([['a1', ['s']]]) }), want: ['route 0'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(kinds(planDeclarative(c.desired, hosts, c.observed, now, 600_000)), c.want));
  }
});

describe('dynoChangeLines', () => {
  const d = (over: Partial<FormationDyno> = {}): FormationDyno => ({
    id: 'p1', name: 'web.x1', processType: 'web', releaseId: 'r', releaseVersion: 2, state: 'starting', restarts: 0, code: null, reason: null, since: 0, ...over,
  });
  const cases: { name: string; prev: FormationDyno[]; next: FormationDyno[]; want: string[] }[] = [
    { name: 'a new starting dyno says nothing yet', prev: [], next: [d()], want: [] },
    { name: 'starting to up', prev: [d()], next: [d({ state: 'up' })], want: ['State changed from starting to up'] },
    { name: 'first seen up', prev: [], next: [d({ state: 'up' })], want: ['State changed from starting to up'] },
    { name: 'OOM kill and restart', prev: [d({ state: 'up' })], next: [d({ state: 'starting', restarts: 1, code: 'R15', reason: 'OOMKilled' })],
      want: ['Error R15 (Memory quota vastly exceeded)', 'Process restarted by the runtime (1 restarts, last: OOMKilled)', 'State changed from up to starting'] },
    { name: 'crash loop', prev: [d({ state: 'starting', restarts: 1 })], next: [d({ state: 'crashed', restarts: 2, code: 'R10', reason: 'CrashLoopBackOff (Error)' })],
      want: ['Process exited before it was ready', 'Process restarted by the runtime (2 restarts, last: CrashLoopBackOff (Error))', 'State changed from starting to crashed (CrashLoopBackOff (Error))'] },
    { name: 'being deleted shows as down', prev: [d({ state: 'up' })], next: [d({ state: 'stopping' })], want: ['State changed from up to down'] },
    { name: 'unchanged says nothing', prev: [d({ state: 'up' })], next: [d({ state: 'up' })], want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(dynoChangeLines(c.prev, c.next).map((l) => l.message), c.want));
  }
});

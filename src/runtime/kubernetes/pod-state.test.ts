import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podToDyno, rolloutStatus, type DeploymentView, type PodView } from './pod-state.js';

type Status = NonNullable<NonNullable<PodView['status']>['containerStatuses']>[number];
const pod = (container: Partial<Status> | null, extra: { phase?: string; deleting?: boolean } = {}): PodView => ({
  metadata: {
    name: 'web-7d9f8c6b5-x2kqz',
    labels: { 'cupaas.io/process-type': 'web', 'cupaas.io/release': 'v4' },
    ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  status: { phase: extra.phase ?? 'Running', containerStatuses: container ? [{ ready: false, restartCount: 0, ...container }] : [] },
});

const CASES: { name: string; pod: PodView; state: string; code: string | null; reason: string | null; restarts?: number }[] = [
  { name: 'pending, no container yet', pod: pod(null, { phase: 'Pending' }), state: 'starting', code: null, reason: null },
  { name: 'creating the container', pod: pod({ state: { waiting: { reason: 'ContainerCreating' } } }, { phase: 'Pending' }), state: 'starting', code: null, reason: null },
  { name: 'running, not ready yet', pod: pod({ state: { running: {} } }), state: 'starting', code: null, reason: null },
  { name: 'running and ready', pod: pod({ ready: true, state: { running: {} } }), state: 'up', code: null, reason: null },
  {
    name: 'OOMKilled then crash-looping: crashed, R15',
    pod: pod({ restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }),
    state: 'crashed', code: 'R15', reason: 'CrashLoopBackOff (OOMKilled)', restarts: 3,
  },
  {
    name: 'exits with an error, crash-looping: crashed, R10',
    pod: pod({ restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1 } } }),
    state: 'crashed', code: 'R10', reason: 'CrashLoopBackOff (Error)', restarts: 5,
  },
  {
    name: 'restarted after an OOM kill and up again: up, last failure R15',
    pod: pod({ ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { reason: 'OOMKilled' } } }),
    state: 'up', code: 'R15', reason: 'OOMKilled', restarts: 1,
  },
  { name: 'image cannot be pulled', pod: pod({ state: { waiting: { reason: 'ImagePullBackOff' } } }, { phase: 'Pending' }), state: 'crashed', code: null, reason: 'ImagePullBackOff' },
  { name: 'terminated now', pod: pod({ state: { terminated: { reason: 'OOMKilled', exitCode: 137 } } }), state: 'crashed', code: 'R15', reason: 'OOMKilled' },
  { name: 'being deleted', pod: pod({ ready: true, state: { running: {} } }, { deleting: true }), state: 'stopping', code: null, reason: null },
  { name: 'failed pod', pod: pod(null, { phase: 'Failed' }), state: 'crashed', code: null, reason: null },
];

describe('podToDyno', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const d = podToDyno(c.pod);
      assert.deepEqual(
        { state: d.state, code: d.code, reason: d.reason, restarts: d.restarts },
        { state: c.state, code: c.code, reason: c.reason, restarts: c.restarts ?? 0 },
      );
      assert.equal(d.name, 'web.7d9f8c6b5-x2kqz');
      assert.equal(d.processType, 'web');
      assert.equal(d.release, 4);
    });
  }
});

const dep = (generation: number, spec: number, status: NonNullable<DeploymentView['status']>): DeploymentView => ({
  metadata: { generation }, spec: { replicas: spec }, status,
});

describe('rolloutStatus', () => {
  const CASES: { name: string; d: DeploymentView; state: string }[] = [
    { name: 'controller has not seen the new spec', d: dep(3, 2, { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), state: 'progressing' },
    { name: 'new pods coming up', d: dep(3, 2, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2 }), state: 'progressing' },
    { name: 'old pods still terminating', d: dep(3, 2, { observedGeneration: 3, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), state: 'progressing' },
    { name: 'all updated and available', d: dep(3, 2, { observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), state: 'complete' },
    { name: 'scaled to 0', d: dep(4, 0, { observedGeneration: 4 }), state: 'complete' },
    {
      name: 'progress deadline exceeded',
      d: dep(3, 2, { observedGeneration: 3, replicas: 3, updatedReplicas: 1, availableReplicas: 2, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }] }),
      state: 'failed',
    },
  ];
  for (const c of CASES) it(c.name, () => assert.equal(rolloutStatus(c.d).state, c.state));
});

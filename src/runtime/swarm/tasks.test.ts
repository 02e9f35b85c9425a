import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findNode, nodeViews } from './nodes.js';
import { newestTask, nodeAddress, taskPhase, type SwarmNode, type SwarmTask, type TaskPhase } from './tasks.js';

const nodes = new Map<string, SwarmNode>([
  ['n1', { ID: 'n1', Description: { Hostname: 'swarm-n1' }, Status: { State: 'ready', Addr: '10.0.0.11' } }],
  ['n2', { ID: 'n2', Description: { Hostname: 'swarm-n2' }, Status: { State: 'down', Addr: '10.0.0.12' } }],
]);
const task = (state: string, over: Partial<SwarmTask> = {}, status: Partial<NonNullable<SwarmTask['Status']>> = {}): SwarmTask => ({
  NodeID: 'n1', Status: { State: state, ...status }, ...over,
});

test('what a task means for its dyno', () => {
  const cases: Array<[string, SwarmTask | null, TaskPhase]> = [
    ['no task yet', null, { phase: 'starting', nodeId: null, note: null }],
    ['pending with a scheduler note', task('pending', { NodeID: undefined }, { Err: 'no suitable node' }), { phase: 'starting', nodeId: null, note: 'no suitable node' }],
    ['running, published port', task('running', {}, { PortStatus: { Ports: [{ PublishedPort: 20001, TargetPort: 20001 }] } }), { phase: 'running', nodeId: 'n1', host: '10.0.0.11', port: 20001 }],
    ['running worker', task('running'), { phase: 'running', nodeId: 'n1', host: '10.0.0.11', port: null }],
    ['container started, health check pending: the driver probes it', task('starting'), { phase: 'running', nodeId: 'n1', host: '10.0.0.11', port: null }],
    ['pulling the image', task('preparing', {}, { Err: '' }), { phase: 'starting', nodeId: 'n1', note: null }],
    ['crashed', task('failed', {}, { Err: 'task: non-zero exit (3)', ContainerStatus: { ContainerID: 'c1', ExitCode: 3 } }), { phase: 'exited', nodeId: 'n1', status: 3, error: null }],
    ['stopped', task('shutdown', {}, { ContainerStatus: { ContainerID: 'c1', ExitCode: 143 } }), { phase: 'exited', nodeId: 'n1', status: 143, error: null }],
    ['image not pullable', task('rejected', {}, { Err: 'No such image: r/x@sha256:00' }), { phase: 'exited', nodeId: 'n1', status: 1, error: 'node swarm-n1: No such image: r/x@sha256:00' }],
    ['on a node that is down', task('running', { NodeID: 'n2' }), { phase: 'exited', nodeId: 'n2', status: 137, error: null, lost: 'node swarm-n2 is down' }],
  ];
  for (const [name, t, want] of cases) assert.deepEqual(taskPhase(t, nodes), want, name);
});

test('the newest task of a rescheduled service wins', () => {
  const a = task('failed', { ID: 'a', CreatedAt: '2026-01-01T00:00:01Z' });
  const b = task('running', { ID: 'b', CreatedAt: '2026-01-01T00:00:02Z' });
  assert.equal(newestTask([a, b])?.ID, 'b');
  assert.equal(newestTask([]), null);
});

test('node addresses, views and names', () => {
  assert.equal(nodeAddress({ Status: { Addr: '0.0.0.0' }, ManagerStatus: { Addr: '10.0.0.11:2377' } }), '10.0.0.11');
  const views = nodeViews(
    [
      { ID: 'b', Description: { Hostname: 'n-b', Resources: { NanoCPUs: 2e9, MemoryBytes: 2 * 1024 ** 3 } }, Spec: { Role: 'worker', Availability: 'active' }, Status: { State: 'ready', Addr: '10.0.0.12' } },
      { ID: 'a', Description: { Hostname: 'n-a' }, Spec: { Role: 'manager', Availability: 'pause' }, Status: { State: 'ready', Addr: '10.0.0.11' }, ManagerStatus: { Leader: true } },
    ],
    new Map([['b', [{ appId: 'x', app: 'shop', dyno: 'web.2' }, { appId: 'x', app: 'shop', dyno: 'web.1' }]]]),
  );
  assert.deepEqual(views.map((v) => [v.name, v.role, v.leader, v.availability, v.cpus, v.memoryMb, v.dynos.map((d) => d.dyno)]), [
    ['n-a', 'manager', true, 'pause', 0, 0, []],
    ['n-b', 'worker', false, 'active', 2, 2048, ['web.1', 'web.2']],
  ]);
  const all: SwarmNode[] = [{ ID: 'abcdef123', Description: { Hostname: 'one' } }, { ID: 'abcxyz', Description: { Hostname: 'two' } }];
  assert.equal(findNode(all, 'two')?.ID, 'abcxyz');
  assert.equal(findNode(all, 'abcdef')?.ID, 'abcdef123');
  assert.equal(findNode(all, 'abc'), null, 'too short a prefix');
  assert.equal(findNode(all, 'nope'), null);
});

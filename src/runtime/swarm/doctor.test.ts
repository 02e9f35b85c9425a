/** The swarm section of `cupaas server --doctor`: words for what the manager says, and real unreachable/non-manager engines. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { freePort } from '../../shared/net.js';
import { engineStatus, connectEngine } from '../../images/index.js';
import { swarmDoctorReport, swarmReport, type SwarmFacts } from './doctor.js';

const node = (id: string, name: string, state = 'ready') => ({ ID: id, Description: { Hostname: name }, Status: { State: state, Addr: '10.213.0.2' } });
const facts = (over: Partial<SwarmFacts> = {}): SwarmFacts => ({
  dockerHost: 'tcp://10.213.0.1:2375', unreachable: null, manager: true,
  nodes: [node('n1', 'node1'), node('n2', 'node2'), node('n3', 'node3', 'down')],
  tasks: [], registry: '10.213.0.1:5000', registryAnswers: true, ...over,
});

describe('swarm doctor report', () => {
  test('manager, nodes ready/total naming the others, the registry the nodes pull from', () => {
    assert.equal(swarmReport(facts()), [
      'Swarm:',
      '  manager: tcp://10.213.0.1:2375: reachable',
      '  nodes: 2/3 ready (node3 down)',
      '  registry: 10.213.0.1:5000: answers here; the nodes pull from it',
    ].join('\n'));
  });

  test('a loopback registry with several nodes: the others cannot pull from it', () => {
    assert.match(swarmReport(facts({ registry: '127.0.0.1:5000', registryAnswers: false })), /registry: 127\.0\.0\.1:5000: NOT answering here, but on loopback: the other nodes cannot pull from it \(set CUPAAS_REGISTRY_URL/);
    assert.match(swarmReport(facts({ registry: '127.0.0.1:5000', nodes: [node('n1', 'solo')] })), /127\.0\.0\.1:5000: answers here; the nodes pull from it/);
  });

  test('nodes whose last pull failed are named with the engine error', () => {
    const tasks = [
      { NodeID: 'n2', CreatedAt: '2026-01-01T00:00:01Z', Status: { State: 'rejected', Err: 'No such image: 10.213.0.1:5000/shop:v3' } },
      { NodeID: 'n1', CreatedAt: '2026-01-01T00:00:02Z', Status: { State: 'failed', Err: 'task: non-zero exit (1)' } },
    ];
    const report = swarmReport(facts({ tasks }));
    assert.match(report, /pull failed on node node2: No such image: 10\.213\.0\.1:5000\/shop:v3/);
    assert.doesNotMatch(report, /node1:/);
  });

  test('an unreachable manager says what to set', async () => {
    const port = await freePort('127.0.0.1');
    const report = await swarmDoctorReport({ dockerHost: `tcp://127.0.0.1:${port}`, registry: null });
    assert.match(report, new RegExp(`manager: tcp://127.0.0.1:${port}: unreachable \\(.*\\); set CUPAAS_SWARM_HOST`));
    assert.match(await swarmDoctorReport({ dockerHost: 'ssh://x', registry: null }), /unreachable \(Unsupported Docker host/);
  });

  test('this machine\'s engine, not in a swarm, is reported as no manager', async (t) => {
    const socket = '/var/run/docker.sock';
    const status = await engineStatus(connectEngine(socket), socket);
    if (!status.ok) return t.skip(`no Docker engine here: ${status.report}`);
    const info = (await connectEngine(socket).info()) as { Swarm?: { LocalNodeState?: string } };
    if (info.Swarm?.LocalNodeState === 'active') return t.skip('this engine is in a swarm');
    assert.match(await swarmDoctorReport({ dockerHost: `unix://${socket}`, registry: null }), /reachable, but not a swarm manager \(run `docker swarm init`/);
  });
});

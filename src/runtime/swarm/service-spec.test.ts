import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DYNO_SIZES, type DynoSize } from '../../config/index.js';
import { dynoServiceSpec, LABEL, nodesToAvoid, serviceName, type SwarmDynoInput } from './service-spec.js';

const size = (name: string) => DYNO_SIZES.find((s) => s.name === name) as DynoSize;
const input = (over: Partial<SwarmDynoInput> = {}): SwarmDynoInput => ({
  dynoId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', appId: 'app-id-1', appName: 'shop', name: 'web.1', processType: 'web',
  releaseId: 'rel-3', releaseVersion: 3, image: '10.213.0.1:5000/shop@sha256:aa', process: { command: null, args: null, user: null, dir: null }, size: size('standard-1x'),
  env: { DYNO: 'web.1', CUPAAS_APP: 'shop', GREETING: 'a=b' }, web: true, containerPort: 5000, publishedPort: 20123, healthCheckPath: null,
  hasShell: true, network: 'cupaas-shop', platformId: 'home-1', stopTimeoutMs: 30_000, bootTimeoutMs: 60_000,
  startedAt: 1700000000000, avoidNodeIds: [], restore: '{"x":1}', ...over,
});

describe('swarm: dyno service spec', () => {
  test('a web dyno: one replica of the image by digest, env with PORT, host-mode port, dnsrr, no engine restarts', () => {
    const s = dynoServiceSpec(input());
    assert.equal(s.Name, 'shop_web-1_0f1e2d3c4b5a');
    assert.deepEqual(s.Mode, { Replicated: { Replicas: 1 } });
    assert.equal(s.TaskTemplate.ContainerSpec.Image, '10.213.0.1:5000/shop@sha256:aa');
    assert.equal(s.TaskTemplate.ContainerSpec.Args, undefined);
    assert.deepEqual(s.TaskTemplate.ContainerSpec.Env, ['DYNO=web.1', 'CUPAAS_APP=shop', 'GREETING=a=b', 'PORT=5000']);
    assert.deepEqual(s.EndpointSpec, { Mode: 'dnsrr', Ports: [{ Protocol: 'tcp', TargetPort: 5000, PublishedPort: 20123, PublishMode: 'host' }] });
    assert.deepEqual(s.TaskTemplate.RestartPolicy, { Condition: 'none' });
    assert.deepEqual(s.UpdateConfig, { Parallelism: 1, Order: 'start-first', FailureAction: 'rollback' });
    assert.deepEqual(s.TaskTemplate.Networks, [{ Target: 'cupaas-shop' }]);
    assert.equal(s.TaskTemplate.ContainerSpec.StopGracePeriod, 30e9);
    assert.ok(s.TaskTemplate.ContainerSpec.CapabilityDrop.includes('NET_RAW'));
  });

  test('labels name app, release, process type and dyno on the service and its containers', () => {
    const s = dynoServiceSpec(input({ healthCheckPath: '/health' }));
    const want = {
      [LABEL.platform]: 'home-1', [LABEL.appId]: 'app-id-1', [LABEL.app]: 'shop', [LABEL.releaseId]: 'rel-3', [LABEL.releaseVersion]: '3',
      [LABEL.processType]: 'web', [LABEL.dyno]: 'web.1', [LABEL.dynoId]: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      [LABEL.startedAt]: '1700000000000', [LABEL.web]: 'true', [LABEL.healthCheckPath]: '/health',
    };
    assert.deepEqual(s.Labels, { ...want, [LABEL.spec]: '{"x":1}' });
    assert.deepEqual(s.TaskTemplate.ContainerSpec.Labels, want);
  });

  const sizes: Array<[string, number, number | undefined, number]> = [
    ['standard-1x', 1024 * 1024 * 1024, 1e9, 256],
    ['standard-2x', 2048 * 1024 * 1024, 2e9, 512],
    ['performance-m', 5120 * 1024 * 1024, undefined, 16384],
  ];
  for (const [name, memory, cpus, pids] of sizes) {
    test(`resources of ${name}`, () => {
      assert.deepEqual(dynoServiceSpec(input({ size: size(name) })).TaskTemplate.Resources.Limits, {
        MemoryBytes: memory, ...(cpus ? { NanoCPUs: cpus } : {}), Pids: pids,
      });
    });
  }

  test('health check: the path travels in the env, never inside the script; none for workers or shell-less images', () => {
    const s = dynoServiceSpec(input({ healthCheckPath: '/health"; rm -rf /' }));
    const hc = s.TaskTemplate.ContainerSpec.Healthcheck;
    assert.ok(hc);
    assert.equal(hc.Test.slice(0, 3).join(' '), 'CMD bash -c');
    assert.ok(!hc.Test.join(' ').includes('rm -rf'));
    assert.ok(s.TaskTemplate.ContainerSpec.Env.includes('CUPAAS_HEALTH_PATH=/health"; rm -rf /'));
    assert.equal(hc.StartPeriod, 60e9);
    assert.equal(dynoServiceSpec(input({ hasShell: false })).TaskTemplate.ContainerSpec.Healthcheck, undefined);
    const worker = dynoServiceSpec(input({ web: false, name: 'worker.1', processType: 'worker', process: { command: ['bash', '-c', 'init'], args: ['node', 'w.js'], user: 'u', dir: '/app' } }));
    assert.equal(worker.TaskTemplate.ContainerSpec.Healthcheck, undefined);
    assert.deepEqual(worker.EndpointSpec.Ports, []);
    const c = worker.TaskTemplate.ContainerSpec;
    assert.deepEqual([c.Command, c.Args, c.User, c.Dir], [['bash', '-c', 'init'], ['node', 'w.js'], 'u', '/app']);
  });

  test('placement: spread, and constraints away from busier nodes', () => {
    const s = dynoServiceSpec(input({ avoidNodeIds: ['n1', 'n2'] }));
    assert.deepEqual(s.TaskTemplate.Placement, {
      Constraints: ['node.id!=n1', 'node.id!=n2'], Preferences: [{ Spread: { SpreadDescriptor: 'node.id' } }],
    });
  });

  test('service names stay within 63 characters and unique per dyno id', () => {
    const long = serviceName({ appName: 'a'.repeat(30), name: 'really-long-process-type-name-here.12', dynoId: 'abcdef0123456789' });
    assert.ok(long.length <= 63, long);
    assert.ok(long.endsWith('_abcdef012345'));
    assert.notEqual(serviceName({ appName: 'x', name: 'web.1', dynoId: 'aaaa' }), serviceName({ appName: 'x', name: 'web.1', dynoId: 'bbbb' }));
  });
});

describe('swarm: spreading dynos of a process type', () => {
  const cases: Array<[string, string[], string[], string[]]> = [
    ['one node: nothing to avoid', ['a'], ['a', 'a'], []],
    ['empty cluster', ['a', 'b', 'c'], [], []],
    ['one on a: avoid a', ['a', 'b', 'c'], ['a'], ['a']],
    ['a and b have one: avoid both', ['a', 'b', 'c'], ['a', 'b'], ['a', 'b']],
    ['even: avoid none', ['a', 'b'], ['a', 'b'], []],
    ['dynos on a drained node do not count', ['b', 'c'], ['a', 'a', 'b'], ['b']],
  ];
  for (const [name, eligible, existing, want] of cases) test(name, () => assert.deepEqual(nodesToAvoid(eligible, existing), want));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddressPool } from './address-pool.js';
import { memoryLine, R14, R15, watchMemory } from './memory-watch.js';
import { claimTaken, wiringBatches } from './network.js';

test('the address pool hands out /30s (host end .1, dyno end .2) and keeps the last one for the services address', () => {
  const pool = parseAddressPool('172.16.0.0/12');
  assert.equal(pool.size, 2 ** 18 - 1);
  assert.equal(pool.cidr, '172.16.0.0/12');
  assert.deepEqual(pool.subnet(0), { slot: 0, hostAddress: '172.16.0.1', dynoAddress: '172.16.0.2' });
  assert.deepEqual(pool.subnet(64), { slot: 64, hostAddress: '172.16.1.1', dynoAddress: '172.16.1.2' });
  assert.equal(pool.servicesAddress, '172.31.255.254');
  assert.equal(pool.subnet(pool.size - 1).dynoAddress, '172.31.255.250');
  assert.throws(() => pool.subnet(pool.size), /outside the pool/);
  const smallest = parseAddressPool('10.9.0.8/29');
  assert.equal(smallest.size, 1);
  assert.equal(smallest.servicesAddress, '10.9.0.14');
  assert.throws(() => parseAddressPool('172.16.0.1/12'), /not aligned: use 172\.16\.0\.0\/12/);
  assert.throws(() => parseAddressPool('fd00::/8'), /IPv4 CIDR/);
  assert.throws(() => parseAddressPool('10.0.0.0/30'), /IPv4 CIDR from \/8 to \/29/);
});

test('memory watch: R14 over quota (spaced), R15 and a kill when the OOM killer strikes', () => {
  const MB = 1024 * 1024;
  let bytes = 50 * MB;
  let kills = 0;
  let t = 0;
  let killed = 0;
  const lines: string[] = [];
  const w = watchMemory({
    cgroup: { memoryBytes: () => bytes, oomKills: () => kills }, quotaBytes: 100 * MB, hardBytes: 200 * MB,
    intervalMs: 60_000, r14EveryMs: 1000, log: (m) => lines.push(m), onR15: () => killed++, now: () => t,
  });
  w.stop();
  w.check();
  assert.deepEqual(lines, []);
  bytes = 103.3 * MB;
  w.check();
  assert.deepEqual(lines, ['Process running mem=103M(103.3%)', R14]);
  t = 500;
  w.check();
  assert.equal(lines.length, 2, 'R14 is not repeated within r14EveryMs');
  t = 1500;
  w.check();
  assert.equal(lines.length, 4);
  kills = 1;
  w.check();
  assert.deepEqual(lines.slice(4), ['Process running mem=200M(200.0%)', R15, 'Stopping process with SIGKILL']);
  assert.equal(killed, 1);
  assert.equal(memoryLine(528 * MB, 511.1 * MB), 'Process running mem=528M(103.3%)');
});

test('two ip batches claim and wire a dyno network; a taken name is told apart from a failed wiring', () => {
  const pool = parseAddressPool('10.9.0.0/24');
  const net = { ...pool.subnet(2), netns: 'cupaas-dyno-2', netnsPath: '/run/netns/cupaas-dyno-2', hostInterface: 'cpv2' };
  const { host, inside } = wiringBatches(net, pool.servicesAddress);
  assert.deepEqual(host.split('\n'), [
    'netns add cupaas-dyno-2',
    'link add cpv2 type veth peer name eth0 netns cupaas-dyno-2',
    'addr add 10.9.0.9/30 dev cpv2',
    'link set cpv2 up',
  ]);
  assert.deepEqual(inside.split('\n'), [
    'addr add 10.9.0.10/30 dev eth0',
    'link set eth0 up',
    'link set lo up',
    'route add 10.9.0.254/32 via 10.9.0.9 dev eth0',
  ]);
  assert.equal(claimTaken('Cannot create namespace file "/run/netns/cupaas-dyno-2": File exists\nCommand failed -:1\n'), true);
  assert.equal(claimTaken('Cannot find device "eth0"\nCommand failed -:5\n'), false);
  assert.equal(claimTaken('mount --make-shared /run/netns failed: Permission denied\nCommand failed -:1\n'), false);
});

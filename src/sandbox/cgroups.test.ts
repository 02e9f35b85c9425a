import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { newId } from '../shared/ids.js';
import { chooseCgroupLayout, DYNOS_CGROUP, parseCgroupMounts, parseProcCgroup, type CgroupLayout } from './cgroup-layout.js';
import { CPU_WEIGHT, limitsFor, parentCpuWeight, sharesToWeight, statValue, v1Settings, v2Settings, workingSetBytes } from './cgroup-limits.js';
import { createDynoCgroup, detectCgroups, removeDynoCgroup, type DynoCgroup } from './cgroups.js';

const V1_MOUNTINFO = `
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw`;
const V1_SELF = '9:name=systemd:/\n8:pids:/\n4:memory:/job/abc\n2:cpu,cpuacct:/\n0::/\n';

test('v1: one parent per controller, below the server’s own cgroup, when v2 lacks the controllers', () => {
  const r = chooseCgroupLayout(parseCgroupMounts(V1_MOUNTINFO), parseProcCgroup(V1_SELF), () => []);
  assert.deepEqual(r, {
    layout: {
      version: 1,
      parents: {
        memory: '/sys/fs/cgroup/memory/job/abc/cupaas-dynos',
        cpu: '/sys/fs/cgroup/cpu,cpuacct/cupaas-dynos',
        pids: '/sys/fs/cgroup/pids/cupaas-dynos',
      },
    },
  });
});

test('v2: one parent in the unified hierarchy when it offers memory, cpu and pids', () => {
  const mounts = parseCgroupMounts('30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate');
  const r = chooseCgroupLayout(mounts, parseProcCgroup('0::/system.slice/cupaas.service\n'), (dir) =>
    dir === '/sys/fs/cgroup/system.slice/cupaas.service' ? ['cpuset', 'cpu', 'io', 'memory', 'pids'] : [],
  );
  assert.deepEqual(r, { layout: { version: 2, parent: '/sys/fs/cgroup/system.slice/cupaas.service/cupaas-dynos' } });
});

test('a mount rooted below / (cgroup namespace) maps the process path under it', () => {
  const mounts = parseCgroupMounts(
    ['1 0 0:1 /outer /c/memory rw - cgroup cgroup rw,memory', '2 0 0:2 /outer /c/cpu rw - cgroup cgroup rw,cpu',
      '3 0 0:3 /outer /c/pids rw - cgroup cgroup rw,pids'].join('\n'),
  );
  const r = chooseCgroupLayout(mounts, parseProcCgroup('3:memory:/outer/me\n2:cpu:/outer/me\n1:pids:/outer/me\n'), () => []);
  assert.ok('layout' in r && r.layout.version === 1);
  assert.equal(r.layout.parents.memory, '/c/memory/me/cupaas-dynos');
});

test('no usable hierarchy is explained', () => {
  const r = chooseCgroupLayout(parseCgroupMounts('35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory'), new Map(), () => []);
  assert.ok('reason' in r && /cpu controller/.test(r.reason));
});

test('limits follow the size: hard limit = quota × factor; v1 and v2 control files', () => {
  const l = limitsFor({ name: 'standard-2x', memoryMb: 1024, hardLimitFactor: 2, cpuShares: 2048, cpuQuota: 2, pidsLimit: 512 });
  assert.equal(l.quotaBytes, 1024 * 1024 * 1024);
  assert.equal(l.hardBytes, 2 * 1024 * 1024 * 1024);
  const v1 = Object.fromEntries(v1Settings(l).map((s) => [`${s.where}/${s.file}`, s.value]));
  assert.deepEqual(v1, {
    'memory/memory.limit_in_bytes': String(l.hardBytes),
    'memory/memory.memsw.limit_in_bytes': String(l.hardBytes),
    'cpu/cpu.shares': '2048',
    'cpu/cpu.cfs_period_us': '100000',
    'cpu/cpu.cfs_quota_us': '200000',
    'pids/pids.max': '512',
  });
  assert.ok(v1Settings(l).findIndex((s) => s.file === 'memory.limit_in_bytes') < v1Settings(l).findIndex((s) => s.file.includes('memsw')));
  const v2 = Object.fromEntries(v2Settings({ ...l, cpuQuota: 0 }).map((s) => [s.file, s.value]));
  assert.deepEqual(v2, {
    'memory.max': String(l.hardBytes), 'memory.swap.max': '0', 'cpu.weight': String(sharesToWeight(2048)),
    'cpu.max': 'max 100000', 'pids.max': '512',
  });
  assert.equal(v1Settings({ ...l, cpuQuota: 0 }).find((s) => s.file === 'cpu.cfs_quota_us')?.value, '-1');
});

test('shares map onto weights like the OCI runtimes do', () => {
  assert.equal(sharesToWeight(2), 1);
  assert.equal(sharesToWeight(1024), 39);
  assert.equal(sharesToWeight(262_144), 10_000);
  assert.equal(sharesToWeight(1_000_000), 10_000);
});

test('working set leaves out reclaimable file cache; oom_kill is read from either version’s file', () => {
  assert.equal(workingSetBytes(1, 1000, 'total_cache 500\ntotal_inactive_file 300\n'), 700);
  assert.equal(workingSetBytes(2, 1000, 'anon 600\ninactive_file 450\n'), 550);
  assert.equal(statValue('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n', 'oom_kill'), 2);
  assert.equal(statValue('low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n', 'oom_kill'), 1);
  assert.equal(statValue('', 'oom_kill'), null);
});

test('the dyno parent weighs what its children weigh together, and a group nobody set when empty', () => {
  assert.equal(parentCpuWeight(1, []), 1024);
  assert.equal(parentCpuWeight(1, [1024, 1024, 2048]), 4096);
  assert.equal(parentCpuWeight(1, Array(300).fill(1024)), 262_144);
  assert.equal(parentCpuWeight(2, []), 100);
  assert.equal(parentCpuWeight(2, [39, 39]), 78);
  assert.equal(parentCpuWeight(2, Array(300).fill(39)), 10_000);
});

const cgroups = detectCgroups();
test('creating and removing dyno cgroups keeps the parent’s CPU weight at their sum', {
  skip: 'reason' in cgroups ? `needs writable cgroups: ${cgroups.reason}` : false,
}, async () => {
  assert.ok('layout' in cgroups);
  // A parent of this test's own, so dynos of servers running meanwhile do not change the sums.
  const own = `cupaas-test-${newId()}`;
  const moved = (dir: string) => join(dirname(dir), own, DYNOS_CGROUP);
  const { layout: found } = cgroups;
  const layout: CgroupLayout = found.version === 2
    ? { version: 2, parent: moved(found.parent) }
    : { version: 1, parents: { memory: moved(found.parents.memory), cpu: moved(found.parents.cpu), pids: moved(found.parents.pids) } };
  const cpuParent = layout.version === 2 ? layout.parent : layout.parents.cpu;
  const weight = () => Number(readFileSync(join(cpuParent, CPU_WEIGHT[layout.version].file), 'utf8'));
  if (layout.version === 2) writeFileSync(join(dirname(layout.parent), 'cgroup.subtree_control'), '+cpu +memory +pids');
  const size = { name: 'x', memoryMb: 512, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 };
  const one = limitsFor(size);
  const two = limitsFor({ ...size, cpuShares: 2048 });
  const made: DynoCgroup[] = [];
  try {
    made.push(createDynoCgroup(layout, 'a', one));
    const single = weight();
    made.push(createDynoCgroup(layout, 'b', two));
    assert.equal(weight(), layout.version === 1 ? 3072 : sharesToWeight(1024) + sharesToWeight(2048));
    await removeDynoCgroup(made.pop() as DynoCgroup);
    assert.equal(weight(), single);
    assert.equal(single, layout.version === 1 ? 1024 : sharesToWeight(1024));
  } finally {
    for (const cg of made) await removeDynoCgroup(cg);
    for (const dir of new Set((layout.version === 2 ? [layout.parent] : Object.values(layout.parents)).map((d) => dirname(d)))) {
      if (existsSync(dir)) rmdirSync(dir);
    }
  }
});

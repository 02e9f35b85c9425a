import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sandboxArgv, type PathKind, type SandboxCommand } from './bwrap-argv.js';
import { findUser } from './dyno-user.js';

const kinds: Record<string, PathKind> = {
  '/usr': { kind: 'dir' }, '/bin': { kind: 'symlink', target: 'usr/bin' }, '/etc/passwd': { kind: 'file' },
  '/etc/ssl': { kind: 'dir' },
};
const describe = (p: string) => kinds[p] ?? { kind: 'missing' as const };
const base: SandboxCommand = {
  hostname: 'web.1', binds: [{ host: '/h/dynos/d1/app', at: '/app', readOnly: false }], hostsFile: '/h/dynos/d1/hosts',
  chdir: '/app', uid: 990, gid: 991, argv: ['bash', '-c', 'node server.js; rm -rf /'],
  cgroupProcs: ['/cg/memory/d1/cgroup.procs', '/cg/pids/d1/cgroup.procs'], network: { netnsPath: '/run/netns/cupaas-dyno-7' },
  readyFd: true,
};

test('a dyno: joins cgroups first, enters its netns, hides /etc, and drops to the dyno user', () => {
  const argv = sandboxArgv(base, describe);
  const text = argv.join(' ');
  assert.deepEqual(argv.slice(0, 2), ['/bin/sh', '-c']);
  assert.deepEqual(argv.slice(4, 7), ['/cg/memory/d1/cgroup.procs', '/cg/pids/d1/cgroup.procs', '--']);
  assert.deepEqual(argv.slice(7, 11), ['/usr/bin/nsenter', '--net=/run/netns/cupaas-dyno-7', '--', '/usr/bin/bwrap']);
  assert.match(text, /--symlink usr\/bin \/bin/);
  assert.match(text, /--ro-bind \/etc\/passwd \/etc\/passwd/);
  assert.doesNotMatch(text, /shadow|\/sbin|\/root|\/home/);
  assert.match(text, /--bind \/h\/dynos\/d1\/app \/app/);
  assert.match(text, /--hostname web\.1/);
  assert.match(text, /--reuid=990 --regid=991 --clear-groups --no-new-privs --inh-caps=-all --bounding-set=-all/);
  assert.doesNotMatch(text, /--share-net|--unshare-net|--die-with-parent|NET_BIND/, 'the network is the namespace bwrap starts in');
  assert.equal(argv.at(-1), 'node server.js; rm -rf /', 'the command is one argument, never spliced into a script');
  const before = argv.slice(0, argv.indexOf('--no-new-privs'));
  assert.ok(before.filter((a) => /^(nsenter|bwrap|env|setpriv)$/.test(a)).length === 0, 'every program before the drop is named by its path');
  const withEnv = sandboxArgv({ ...base, programEnv: { LD_PRELOAD: '/x.so', PATH: '/app/bin' } }, describe);
  assert.deepEqual(withEnv.slice(-6, -3), ['/usr/bin/env', 'LD_PRELOAD=/x.so', 'PATH=/app/bin'], 'set for the program only, after the drop');
  const plainNet = sandboxArgv({ ...base, cgroupProcs: [], network: null }, describe);
  assert.deepEqual(plainNet.slice(4, 6), ['--', '/usr/bin/bwrap']);
});

test('a build: a private loopback-only network, read-only binds, dies with the server, a wrapper before the drop', () => {
  const argv = sandboxArgv({
    ...base, hostname: 'build', network: 'private', readyFd: false, dieWithParent: true, chdir: '/h/tmp/b1/app',
    binds: [{ host: '/h/tmp/b1/app', readOnly: false }, { host: '/repo/buildpacks/node', readOnly: true }],
    wrapper: ['node', '-e', 'relay', '[]'], argv: ['/repo/buildpacks/node/bin/compile', '/h/tmp/b1/app'],
  }, describe);
  const text = argv.join(' ');
  assert.ok(!argv.includes('/usr/bin/nsenter'));
  assert.match(text, /bwrap .*--unshare-net .*--die-with-parent/);
  assert.match(text, /--perms 0755 --dir \/h --perms 0755 --dir \/h\/tmp --perms 0755 --dir \/h\/tmp\/b1 --bind \/h\/tmp\/b1\/app \/h\/tmp\/b1\/app --perms 0755 --dir \/repo --perms 0755 --dir \/repo\/buildpacks --ro-bind \/repo\/buildpacks\/node \/repo\/buildpacks\/node/);
  assert.match(text, /--cap-add CAP_NET_BIND_SERVICE/);
  assert.match(text, /-- \/usr\/bin\/env --default-signal=TERM \/usr\/bin\/setpriv --reuid=990 --regid=991 --clear-groups --no-new-privs --inh-caps=-all,\+net_bind_service --ambient-caps=\+net_bind_service --bounding-set=-all,\+net_bind_service -- node -e relay \[\] \/usr\/bin\/setpriv --inh-caps=-all --ambient-caps=-all -- \/repo\/buildpacks\/node\/bin\/compile/);
  assert.doesNotMatch(text, /ready/);
});

test('the sandbox user is found by name in passwd text', () => {
  assert.deepEqual(findUser('root:x:0:0::/root:/bin/bash\ncupaas-dyno:x:995:994::/app:/usr/sbin/nologin\n', 'cupaas-dyno'), {
    name: 'cupaas-dyno', uid: 995, gid: 994,
  });
  assert.equal(findUser('root:x:0:0::/root:/bin/bash\n', 'cupaas-dyno'), null);
});

/** What a host path is, for building the sandbox's view of it. */
export type PathKind = { kind: 'dir' | 'file' } | { kind: 'symlink'; target: string } | { kind: 'missing' };

/** System directories every sandbox sees read-only (its "stack"). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * The parts of /etc a program needs to run: libraries, users and groups by
 * name (no hashes: shadow files are not among them), TLS roots, time zone,
 * name resolution. Everything else in /etc stays out of sight.
 */
const ETC_ENTRIES = [
  'alternatives', 'ca-certificates', 'ca-certificates.conf', 'debian_version', 'gai.conf', 'group', 'host.conf',
  'inputrc', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'localtime', 'mime.types', 'nsswitch.conf', 'os-release',
  'passwd', 'protocols', 'resolv.conf', 'services', 'ssl', 'timezone',
];

/** A host path shown inside the sandbox. */
export interface Bind {
  host: string;
  /** Where it appears inside; the same path when omitted. */
  at?: string;
  readOnly: boolean;
}

export interface SandboxCommand {
  /** The sandbox's hostname (a dyno's name, or `build`). */
  hostname: string;
  /** Every path of the host it sees besides the system: the app, cache, output dirs; nothing else of $CUPAAS_HOME. */
  binds: readonly Bind[];
  /** Host file shown as /etc/hosts. */
  hostsFile: string;
  /** Working directory inside. */
  chdir: string;
  /** The unprivileged user the program runs as. */
  uid: number;
  gid: number;
  /** `cgroup.procs` files the leader joins before anything else runs. */
  cgroupProcs: readonly string[];
  /**
   * The network: a namespace to enter (`/run/netns/...`, a dyno's), `private`
   * (a new one with only loopback, a build's), or null for the host's.
   */
  network: { netnsPath: string } | 'private' | null;
  /**
   * Runs before the program, as the same unprivileged user but keeping one
   * capability, CAP_NET_BIND_SERVICE (a build's mirror relay listens on a
   * mirror's port, 443 say, in the build's own network namespace); it runs
   * the argv it is given after its own, which drops that capability too.
   */
  wrapper?: readonly string[];
  /** Dynos: write one byte on fd 3 once SIGTERM has its default action (see READY). */
  readyFd?: boolean;
  /** Ends the sandbox when the spawning server dies (builds; dynos outlive a killed server on purpose). */
  dieWithParent?: boolean;
  /**
   * Variables set for the program only, after privileges are dropped (see
   * host-env.ts): the spawn's own environment must not carry them. They pass
   * as `env NAME=VALUE` arguments, visible in the process list only until
   * `env` execs the program.
   */
  programEnv?: Readonly<Record<string, string>>;
  /** The program, as argv. */
  argv: readonly string[];
}

/**
 * Joins the cgroups (every process the sandbox ever starts inherits them),
 * then execs the rest of argv. SIGTERM is ignored from here until READY: the
 * outer bwrap, a dyno's leader, must outlive a stop's process-group SIGTERM
 * to report the exit status of the app that handles it.
 */
const JOIN_CGROUPS = [
  "trap '' TERM",
  'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done',
  'shift',
  'exec "$@"',
].join('\n');

/**
 * Runs inside the sandbox once SIGTERM has its default action again: writes
 * one byte on fd 3 (the launcher's `stoppable`: from now on a stop's SIGTERM
 * is not lost to the ignoring processes before it), closes it, execs the rest.
 */
const READY = 'printf . >&3; exec "$@" 3>&-';

/**
 * Every program that runs before privileges are dropped is named by its
 * absolute path: the environment is the app's, and its PATH must not choose
 * what runs as root.
 */
const BIN = { sh: '/bin/sh', nsenter: '/usr/bin/nsenter', bwrap: '/usr/bin/bwrap', env: '/usr/bin/env', setpriv: '/usr/bin/setpriv' } as const;

function systemMounts(describe: (path: string) => PathKind): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const k = describe(dir);
    if (k.kind === 'symlink') args.push('--symlink', k.target, dir);
    else if (k.kind !== 'missing') args.push('--ro-bind', dir, dir);
  }
  // bwrap would create /etc as 0700 and the sandbox user could not look inside.
  args.push('--perms', '0755', '--dir', '/etc');
  for (const entry of ETC_ENTRIES) {
    const path = `/etc/${entry}`;
    if (describe(path).kind !== 'missing') args.push('--ro-bind', path, path);
  }
  return args;
}

/**
 * Binds at their host paths: their parent dirs are created first, 0755 (bwrap
 * would make them 0700 and the sandbox user could not reach the bind).
 */
function bindMounts(binds: readonly Bind[]): string[] {
  const made = new Set(['/', '/tmp']);
  const args: string[] = [];
  for (const b of binds) {
    const at = b.at ?? b.host;
    const parts = at.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = `/${parts.slice(0, i).join('/')}`;
      if (made.has(dir)) continue;
      made.add(dir);
      args.push('--perms', '0755', '--dir', dir);
    }
    args.push(b.readOnly ? '--ro-bind' : '--bind', b.host, at);
  }
  return args;
}

/** Drops to the user for good: no capabilities, empty bounding set, no new privileges. */
const dropPrivileges = (uid: number, gid: number): string[] => [
  BIN.setpriv, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--no-new-privs', '--inh-caps=-all', '--bounding-set=-all', '--',
];

/**
 * The same, keeping only CAP_NET_BIND_SERVICE (ambient, so it survives the
 * exec) for a wrapper, which then runs the program through a setpriv that
 * clears it (a user cannot shrink its bounding set; with no capability left
 * and no_new_privs, a bounding set of just this one grants nothing).
 */
const dropPrivilegesKeepingBind = (uid: number, gid: number, wrapper: readonly string[]): string[] => [
  BIN.setpriv, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--no-new-privs',
  '--inh-caps=-all,+net_bind_service', '--ambient-caps=+net_bind_service', '--bounding-set=-all,+net_bind_service', '--',
  ...wrapper,
  BIN.setpriv, '--inh-caps=-all', '--ambient-caps=-all', '--',
];

/**
 * The whole argv of a sandboxed program: cgroup join → (network namespace) →
 * bubblewrap (own pid, mount, ipc, uts and cgroup namespaces; read-only
 * system; private /tmp; of the host only the given binds) → drop to the
 * unprivileged user with no capabilities and no new privileges → the program.
 */
export function sandboxArgv(c: SandboxCommand, describe: (path: string) => PathKind): string[] {
  const net = c.network;
  // Only what setpriv needs to switch user (and a wrapper to bind a mirror's low port); cleared by setpriv.
  const caps = ['CAP_SETUID', 'CAP_SETGID', 'CAP_SETPCAP', ...(c.wrapper ? ['CAP_NET_BIND_SERVICE'] : [])];
  return [
    BIN.sh, '-c', JOIN_CGROUPS, 'sh', ...c.cgroupProcs, '--',
    ...(net && net !== 'private' ? [BIN.nsenter, `--net=${net.netnsPath}`, '--'] : []),
    BIN.bwrap,
    // No --as-pid-1: bwrap's own init is pid 1 and reaps orphans, so neither the shell nor an app
    // it execs is ever the namespace's init, which the kernel shields from a SIGTERM it does not
    // handle (design/005).
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    ...(net === 'private' ? ['--unshare-net'] : []),
    ...(c.dieWithParent ? ['--die-with-parent'] : []),
    '--hostname', c.hostname,
    ...systemMounts(describe),
    '--proc', '/proc',
    '--dev', '/dev',
    '--perms', '1777', '--tmpfs', '/tmp',
    ...bindMounts(c.binds),
    '--ro-bind', c.hostsFile, '/etc/hosts',
    '--chdir', c.chdir,
    '--cap-drop', 'ALL', ...caps.flatMap((cap) => ['--cap-add', cap]),
    '--',
    ...(c.readyFd ? [BIN.env, '--default-signal=TERM', BIN.sh, '-c', READY, 'ready'] : [BIN.env, '--default-signal=TERM']),
    ...(c.wrapper ? dropPrivilegesKeepingBind(c.uid, c.gid, c.wrapper) : dropPrivileges(c.uid, c.gid)),
    ...programEnvArgv(c.programEnv),
    ...c.argv,
  ];
}

const programEnvArgv = (env: Readonly<Record<string, string>> | undefined): string[] => {
  const pairs = Object.entries(env ?? {});
  return pairs.length ? [BIN.env, ...pairs.map(([k, v]) => `${k}=${v}`)] : [];
};

/** /etc/hosts for a sandbox: loopback, its own name, and extra names (a build's mirror hosts, on loopback addresses). */
export const hostsFileText = (hostname: string, extra: readonly { address: string; name: string }[] = []): string =>
  `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n` +
  extra.map((e) => `${e.address}\t${e.name}\n`).join('');

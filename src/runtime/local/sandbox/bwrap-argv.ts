import { dynoShellArgv } from '../launcher.js';

/** What a host path is, for building the sandbox's view of it. */
export type PathKind = { kind: 'dir' | 'file' } | { kind: 'symlink'; target: string } | { kind: 'missing' };

/** System directories the dyno sees read-only (its "stack"). */
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

export interface SandboxCommand {
  /** The dyno's name: its hostname. */
  hostname: string;
  /** Host dir mounted read-write at /app (the dyno's own copy of the slug). */
  appDir: string;
  /** Host file shown as /etc/hosts (names the dyno's hostname). */
  hostsFile: string;
  /** The unprivileged user the app runs as. */
  uid: number;
  gid: number;
  command: string;
  /** Run the command on a pseudo-terminal (an attached one-off dyno). */
  tty?: boolean;
  /** `cgroup.procs` files the leader joins before anything else runs. */
  cgroupProcs: readonly string[];
  /** The dyno's network namespace (`/run/netns/...`); null = the host's network. */
  netnsPath: string | null;
}

/**
 * Joins the cgroups (every process the dyno ever starts inherits them), then
 * execs the rest of argv. SIGTERM is ignored from here until READY: the outer
 * bwrap, the dyno's leader, must outlive a stop's process-group SIGTERM to
 * report the exit status of the app that handles it.
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

function systemMounts(describe: (path: string) => PathKind): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const k = describe(dir);
    if (k.kind === 'symlink') args.push('--symlink', k.target, dir);
    else if (k.kind !== 'missing') args.push('--ro-bind', dir, dir);
  }
  // bwrap would create /etc as 0700 and the dyno user could not look inside.
  args.push('--perms', '0755', '--dir', '/etc');
  for (const entry of ETC_ENTRIES) {
    const path = `/etc/${entry}`;
    if (describe(path).kind !== 'missing') args.push('--ro-bind', path, path);
  }
  return args;
}

/**
 * The whole argv of a sandboxed dyno: cgroup join → (network namespace) →
 * bubblewrap (own pid, mount, ipc, uts and cgroup namespaces; read-only
 * system; private /tmp; nothing of $CUPAAS_HOME but /app) → drop to the
 * dyno user with no capabilities and no new privileges → the Procfile command.
 */
export function sandboxArgv(c: SandboxCommand, describe: (path: string) => PathKind): string[] {
  return [
    '/bin/sh', '-c', JOIN_CGROUPS, 'sh', ...c.cgroupProcs, '--',
    ...(c.netnsPath ? ['nsenter', `--net=${c.netnsPath}`, '--'] : []),
    'bwrap',
    // No --as-pid-1: bwrap's own init is pid 1 and reaps orphans, so neither the shell nor an app
    // it execs is ever the namespace's init, which the kernel shields from a SIGTERM it does not
    // handle. The outer bwrap exits with the shell (pid 2); the driver then ends what is left of
    // its process group, as for a plain dyno. No --die-with-parent: like plain dynos, sandboxes
    // outlive a killed server, whose successor reaps them by their pid records.
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--hostname', c.hostname,
    ...systemMounts(describe),
    '--proc', '/proc',
    '--dev', '/dev',
    '--perms', '1777', '--tmpfs', '/tmp',
    '--bind', c.appDir, '/app',
    '--ro-bind', c.hostsFile, '/etc/hosts',
    '--chdir', '/app',
    // Only what setpriv needs to switch user; it clears these too, for good.
    '--cap-drop', 'ALL', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_SETPCAP',
    '--',
    'env', '--default-signal=TERM', 'sh', '-c', READY, 'ready',
    'setpriv', `--reuid=${c.uid}`, `--regid=${c.gid}`, '--clear-groups', '--no-new-privs',
    '--inh-caps=-all', '--bounding-set=-all', '--',
    ...dynoShellArgv(c.command, c.tty),
  ];
}

/** /etc/hosts for a dyno: loopback, and its own name. */
export const hostsFileText = (hostname: string): string =>
  `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;

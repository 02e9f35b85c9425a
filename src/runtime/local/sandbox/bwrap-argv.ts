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
  /** `cgroup.procs` files the leader joins before anything else runs. */
  cgroupProcs: readonly string[];
  /** The dyno's network namespace (`/run/netns/...`); null = the host's network. */
  netnsPath: string | null;
}

/**
 * Joins the cgroups (every process the dyno ever starts inherits them), then
 * execs the rest of argv. SIGTERM is ignored from here up to the app: the
 * process-group SIGTERM of a stop must reach the app, not end bwrap, whose
 * death would SIGKILL the sandbox before the app could shut down cleanly.
 */
const JOIN_CGROUPS = [
  "trap '' TERM",
  'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done',
  'shift',
  'exec "$@"',
].join('\n');

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
    '--die-with-parent',
    // The dyno's shell is the namespace's init: it ignores a stop's SIGTERM (the kernel drops
    // unhandled signals to an init) and keeps waiting while the app shuts down; with bwrap's own
    // init, the shell would die at once and take the still-draining app with it.
    '--as-pid-1',
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
    'env', '--default-signal=TERM',
    'setpriv', `--reuid=${c.uid}`, `--regid=${c.gid}`, '--clear-groups', '--no-new-privs',
    '--inh-caps=-all', '--bounding-set=-all', '--',
    ...dynoShellArgv(c.command),
  ];
}

/** /etc/hosts for a dyno: loopback, and its own name. */
export const hostsFileText = (hostname: string): string =>
  `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;

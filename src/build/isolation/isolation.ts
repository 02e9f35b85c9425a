import { appendFileSync, chmodSync, existsSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynoSize } from '../../config/index.js';
import {
  createDynoCgroup, describePath, detectSandbox, DYNOS_CGROUP, hostsFileText, killCgroup, limitsFor, pidsIn, removeDynoCgroup, sandboxArgv, splitHostEnv,
  type DynoCgroup, type DynoLimits, type SandboxConfig, type SandboxSupport,
} from '../../sandbox/index.js';
import { newId } from '../../shared/ids.js';
import { runChecked } from '../../shared/process.js';
import { execInGroup, type ExecOptions } from '../internal/exec.js';
import type { MirrorPlan } from './mirrors.js';
import { openMirrorForwarders, RELAY_SOURCE } from './relay.js';

/** Where a build program runs, and what of the host it sees. */
export interface IsolatedExecOptions extends ExecOptions {
  /** Host dirs the program writes (bound read-write at the same path; owned by the build user). */
  writable: readonly string[];
  /** Host paths it reads (bound read-only at the same path), e.g. the buildpack. */
  readable: readonly string[];
  /** The build's scratch dir (host side only: cgroup records, hosts file). */
  workDir: string;
  /** Whether it may reach the package mirrors (`bin/compile`); otherwise it has no way out at all. */
  mirrors?: boolean;
}

/** How build programs run: sandboxed where the host allows, else as plain processes (and the build says so). */
export interface Isolation {
  /** `bubblewrap+cgroup-v1+private network`, or `none` with the reason in `warning`. */
  describe(): Promise<{ isolation: string; warning: string | null }>;
  exec(argv: readonly string[], opts: IsolatedExecOptions): Promise<number>;
}

/** The file in a build's work dir naming the cgroups its programs run in (for stopLeftoverBuild). */
export const CGROUPS_RECORD = 'sandbox-cgroups';

export interface IsolationOptions {
  /** The platform's sandbox settings (shared with dynos); null or `off` runs builds unsandboxed. */
  sandbox: SandboxConfig | null;
  size: DynoSize;
  mirrors: MirrorPlan;
}

/** A build has no R14 grace: the size's memory is its hard limit. */
const buildLimits = (size: DynoSize): DynoLimits => {
  const l = limitsFor(size);
  return { ...l, hardBytes: l.quotaBytes };
};

export const plainIsolation: Isolation = {
  describe: async () => ({ isolation: 'none', warning: 'the build sandbox is off' }),
  exec: (argv, opts) => execInGroup(argv, opts),
};

/** Builds run in the same sandbox as dynos (src/sandbox), with a loopback-only network whose only way out is the mirrors. */
export function createIsolation(o: IsolationOptions): Isolation {
  if (!o.sandbox || o.sandbox.mode === 'off') {
    return { ...plainIsolation, describe: async () => ({ isolation: 'none', warning: 'the sandbox is turned off (CUPAAS_SANDBOX=off)' }) };
  }
  const sandbox = o.sandbox;
  let support: Promise<SandboxSupport> | null = null;
  const detect = () => (support ??= detectSandbox(sandbox));
  const limits = buildLimits(o.size);

  return {
    async describe() {
      const s = await detect();
      if (!s.user) return { isolation: 'none', warning: s.protections[0]?.detail ?? 'the sandbox is unavailable' };
      const parts = ['bubblewrap', ...(s.cgroups ? [`cgroup-v${s.cgroups.version}`] : []), 'private network'];
      const cg = s.protections.find((p) => p.name === 'cgroups');
      return { isolation: parts.join('+'), warning: s.cgroups ? null : `no memory, CPU or pids limits: ${cg?.detail ?? 'no cgroups'}` };
    },
    async exec(argv, opts) {
      const s = await detect();
      if (!s.user) return execInGroup(argv, opts);
      const { uid, gid } = s.user;
      const writable = opts.writable.filter((d) => existsSync(d));
      // -h: a symlink a previous build left in its cache must never hand a host file to the build user.
      if (writable.length) {
        await runChecked(['chown', '-R', '-h', `${uid}:${gid}`, '--', ...writable]);
        // bwrap enters the working dir as root without capabilities: it needs the search bit, nothing more.
        for (const d of writable) chmodSync(d, (statSync(d).mode & 0o7777) | 0o701);
      }
      let cgroup: DynoCgroup | null = null;
      const forwarders = await openMirrorForwarders(opts.mirrors ? o.mirrors.endpoints : [], opts.workDir);
      try {
        if (s.cgroups) {
          cgroup = createDynoCgroup(s.cgroups, `build-${newId()}`, limits);
          appendFileSync(join(opts.workDir, CGROUPS_RECORD), cgroup.dirs.map((d) => `${d}\n`).join(''));
        }
        const hostsFile = join(opts.workDir, 'hosts');
        writeFileSync(hostsFile, hostsFileText('build', o.mirrors.hosts), { mode: 0o644 });
        const relays = forwarders.relays;
        // The build env is the stack's and the app's: its loader and PATH variables reach the buildpack only.
        const env = splitHostEnv(opts.env);
        const sandboxed = sandboxArgv(
          {
            hostname: 'build', hostsFile, chdir: opts.cwd, uid, gid, argv, programEnv: env.program,
            binds: [
              ...writable.map((host) => ({ host, readOnly: false })),
              ...[...opts.readable, ...o.mirrors.paths].filter((p) => existsSync(p)).map((host) => ({ host, readOnly: true })),
              ...forwarders.binds,
            ],
            cgroupProcs: cgroup?.procsFiles ?? [], network: 'private', dieWithParent: true,
            ...(relays.length ? { wrapper: ['node', '-e', RELAY_SOURCE, JSON.stringify(relays)] } : {}),
          },
          describePath,
        );
        const code = await execInGroup(sandboxed, { ...opts, env: env.spawn, cwd: opts.workDir });
        if (cgroup && cgroup.oomKills() > 0) {
          opts.onOutput(` !     The build ran out of memory (limit ${o.size.memoryMb} MB, the ${o.size.name} size; CUPAAS_BUILD_SIZE) and was killed.\n`);
        }
        return code;
      } finally {
        if (cgroup) await removeDynoCgroup(cgroup);
        await forwarders.close();
      }
    },
  };
}

/** Blocks the thread briefly: recovery at start-up is synchronous, and a dying cgroup needs a moment. */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Kills what is left in the cgroups a dead server's build ran in and removes
 * them (retrying for up to two seconds while the kernel still holds a dying
 * process). Only ever build cgroups below our own parent, whatever the record says.
 */
export function releaseLeftoverCgroups(workDir: string): void {
  const record = join(workDir, CGROUPS_RECORD);
  if (!existsSync(record)) return;
  const ours = (d: string) => d.startsWith('/sys/fs/cgroup/') && d.includes(`/${DYNOS_CGROUP}/build-`) && !d.includes('..');
  const deadline = Date.now() + 2000;
  for (const dir of readFileSync(record, 'utf8').split('\n').filter(ours)) {
    for (;;) {
      killCgroup({ pids: () => pidsIn([dir]) });
      try {
        rmdirSync(dir);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || Date.now() > deadline) break;
        pause(20);
      }
    }
  }
}

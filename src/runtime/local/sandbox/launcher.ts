import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DYNO_SIZES, type DynoSize } from '../../../config/index.js';
import type { LogSink } from '../../../domain/index.js';
import type { Logger } from '../../../shared/logger.js';
import {
  createDynoCgroup, describePath, detectSandbox, hostsFileText, killCgroup, limitsFor, sandboxArgv, splitHostEnv,
  type DynoCgroup, type SandboxConfig, type SandboxSupport,
} from '../../../sandbox/index.js';
import { appTemplate, withAppCopy } from '../app-copies.js';
import { dynoShellArgv, dynoStdio, plainLauncher, withExitStatus, type LaunchedDyno, type Launcher, type LaunchRequest } from '../launcher.js';
import { parseAddressPool } from './address-pool.js';
import { watchMemory } from './memory-watch.js';
import type { DynoNetwork } from './network.js';
import { createNetworkPool, spareNetworksFile } from './network-pool.js';
import { readSandboxRecord, releaseLeftovers, releaseRecorded, writeSandboxRecord, type SandboxRecord } from './records.js';

export interface SandboxLauncherOptions {
  sandbox: SandboxConfig;
  /** Where the launcher keeps its own state (the list of spare networks). */
  stateDir: string;
  logs: LogSink;
  logger: Logger;
  /** Dyno sizes by name (default: the platform's table). */
  sizes?: readonly DynoSize[];
  /** How often memory is sampled, and R14 repeated at most. */
  memory?: { intervalMs: number; r14EveryMs: number };
}

/** Settles at the sandbox's first byte on fd 3 (see READY in bwrap-argv), or once it is gone without one. */
function readyByte(child: ChildProcess): Promise<void> {
  const pipe = child.stdio[3] as Readable;
  return new Promise<void>((resolve) => {
    const done = () => {
      pipe.destroy();
      resolve();
    };
    pipe.once('data', done);
    pipe.once('close', done);
    pipe.once('error', done);
    child.once('exit', done);
  });
}

/**
 * Runs each dyno in a bubblewrap sandbox, inside a cgroup sized by its dyno
 * size and (when supported) in its own network namespace. Where the host
 * supports none of it, dynos run as plain processes and `isolation` says
 * `none`: what is active is found once, on the first recover or launch.
 */
export function createSandboxLauncher(o: SandboxLauncherOptions): Launcher {
  const sizes = o.sizes ?? DYNO_SIZES;
  const networks = createNetworkPool(parseAddressPool(o.sandbox.addressPool), {
    size: o.sandbox.warmNetworks, file: spareNetworksFile(o.stateDir), logger: o.logger,
  });
  const memory = o.memory ?? { intervalMs: 1000, r14EveryMs: 20_000 };
  let support: Promise<SandboxSupport> | null = null;
  let known: SandboxSupport | null = null;

  const detect = () =>
    (support ??= detectSandbox(o.sandbox).then((s) => {
      known = s;
      if (s.isolation === 'none') o.logger.warn('dynos run as plain processes without isolation', { why: s.protections[0]?.detail });
      else o.logger.info('dynos run sandboxed', { isolation: s.isolation });
      for (const p of s.protections.filter((x) => !x.active)) o.logger.info('dyno protection inactive', { protection: p.name, why: p.detail });
      return s;
    }));

  const launchSandboxed = async (req: LaunchRequest, s: SandboxSupport): Promise<LaunchedDyno> => {
    const size = sizes.find((x) => x.name === req.size);
    if (!size) throw new Error(`Unknown dyno size "${req.size}". Use one of: ${sizes.map((x) => x.name).join(', ')}.`);
    const user = s.user as NonNullable<SandboxSupport['user']>;
    const record: SandboxRecord = { cgroupDirs: [], network: null };
    const log = (message: string) => o.logs.write(req.appId, { source: 'heroku', process: req.name, message });
    let cgroup: DynoCgroup | null = null;
    let network: DynoNetwork | null = null;
    let watch: ReturnType<typeof watchMemory> | null = null;
    const release = async () => {
      watch?.check();
      watch?.stop();
      await releaseRecorded(record);
    };
    try {
      const hostsFile = join(req.scratchDir, 'hosts');
      writeFileSync(hostsFile, hostsFileText(req.name));
      const limits = limitsFor(size);
      if (s.cgroups) {
        cgroup = createDynoCgroup(s.cgroups, req.dynoId, limits);
        record.cgroupDirs = [...cgroup.dirs];
      }
      writeSandboxRecord(req.scratchDir, record);
      // The release's template (made once) and the network need nothing from each other: they overlap.
      // The network is recorded as soon as it exists, and both settle before going on, so a failure of
      // one still releases what the other made. The dyno's own copy is its first step (withAppCopy).
      const wiring = s.privateNetwork
        ? networks.take().then((n) => {
          record.network = { netns: n.netns, hostInterface: n.hostInterface };
          writeSandboxRecord(req.scratchDir, record);
          networks.handedOver(n);
          return n;
        })
        : Promise.resolve(null);
      const [made, wired] = await Promise.allSettled([appTemplate(req.releaseDir, { uid: user.uid, gid: user.gid }), wiring]);
      if (made.status === 'rejected') throw made.reason;
      if (wired.status === 'rejected') throw wired.reason;
      const appDir = join(req.scratchDir, 'app');
      network = wired.value;
      // Loader, shell-startup and PATH variables reach the app's program only, never the root-run programs before it.
      const env = splitHostEnv({ ...req.env, HOME: '/app', ...(network ? { CUPAAS_HOST_ADDRESS: network.hostAddress } : {}) });
      const [cmd, ...args] = withExitStatus(withAppCopy(made.value, appDir, sandboxArgv(
        {
          hostname: req.name, binds: [{ host: appDir, at: '/app', readOnly: false }], hostsFile, chdir: '/app',
          uid: user.uid, gid: user.gid, programEnv: env.program, argv: dynoShellArgv(req.command, req.attached?.tty ?? false), readyFd: true,
          cgroupProcs: cgroup?.procsFiles ?? [], network: network ? { netnsPath: network.netnsPath } : null,
        },
        describePath,
      )), req.statusFile) as [string, ...string[]];
      const child = spawn(cmd, args, { cwd: req.scratchDir, env: env.spawn, detached: true, stdio: [...dynoStdio(req), 'pipe'] });
      await once(child, 'spawn');
      const stoppable = readyByte(child);
      if (cgroup) {
        const cg = cgroup;
        watch = watchMemory({
          cgroup: cg, quotaBytes: limits.quotaBytes, hardBytes: limits.hardBytes, ...memory, log,
          onR15: () => killCgroup(cg),
        });
      }
      return { child, ...(network ? { host: network.dynoAddress } : {}), release, stoppable };
    } catch (e) {
      await release();
      throw e;
    }
  };

  return {
    get isolation() {
      return known?.isolation ?? 'none';
    },
    async launch(req) {
      const s = await detect();
      return s.isolation === 'none' ? plainLauncher.launch(req) : launchSandboxed(req, s);
    },
    async recover(dynosDir, skip) {
      await detect();
      await releaseLeftovers(dynosDir, skip, o.logger);
      await networks.recover();
    },
    close: () => networks.close(),
    // An adopted dyno keeps its cgroup and network until it ends; its memory is no longer watched (design/023).
    adopted(scratchDir) {
      const record = readSandboxRecord(scratchDir);
      return record ? { release: () => releaseRecorded(record) } : {};
    },
  };
}

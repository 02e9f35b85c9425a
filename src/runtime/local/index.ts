/**
 * The `local` runtime driver: each dyno is a supervised child process (its
 * own process group) running the slug in a private, writable copy of the
 * release's app dir. How the process is spawned is the Launcher's business
 * (plain now; a sandboxing launcher can replace it). Decides nothing: the
 * reconciler says what runs.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../shared/errors.js';
import { freePort } from '../../shared/net.js';
import { delay } from '../../shared/wait.js';
import { createSlugArchive } from '../../slugs/index.js';
import { waitUntilReady } from '../readiness.js';
import { createDynoTable, tableDyno } from '../dyno-table.js';
import type { RuntimeDriver, RuntimeDriverDeps } from '../types.js';
import { reapOrphans, writeDynoRecord } from './dyno-records.js';
import { connectAttachment, forEachLine, newLocalDyno, outputClosed, type LocalDyno } from './dyno-process.js';
import { removeTree } from './files.js';
import type { Launcher } from './launcher.js';
import { exitStatus, signalGroup, terminateGroup, waitGroupGone } from './process-group.js';
import { processTreeUsage } from './usage.js';
import { createReleaseDirs } from './release-dirs.js';
import { launcherFor, prepareServicesAddress, sandboxDoctor, type SandboxConfig } from './sandbox/index.js';

export { dynoShellArgv, plainLauncher, type Launcher, type LaunchedDyno, type LaunchRequest } from './launcher.js';

const HOST = '127.0.0.1';
const SIGTERM_STATUS = 143;

/** Waits for `p`, but not longer than `ms`. */
async function settledWithin(p: Promise<void>, ms: number): Promise<void> {
  const timer = new AbortController();
  await Promise.race([p, delay(ms, timer.signal).catch(() => undefined)]);
  timer.abort();
}

/** The local driver's own options, given by its factory in the registry. */
export interface LocalDriverOptions {
  /** How dynos are isolated; without it they run as plain processes. */
  sandbox?: SandboxConfig;
  /** Replaces the launcher the sandbox options call for (tests, benchmarks). */
  launcher?: Launcher;
}

export function createLocalDriver(deps: RuntimeDriverDeps, opts: LocalDriverOptions = {}): RuntimeDriver {
  const launcher = opts.launcher ?? launcherFor(opts.sandbox, deps);
  const { config, logs, logger } = deps;
  const dynosDir = join(config.home, 'dynos');
  const releaseDirs = createReleaseDirs(join(config.home, 'releases'), createSlugArchive(join(config.home, 'slugs')));
  const table = createDynoTable<LocalDyno>();
  const { dynos, markUp } = table;

  const finish = async (d: LocalDyno, status: number, error?: string) => {
    if (d.finished) return;
    d.finished = true;
    d.probe.abort();
    d.markLaunched();
    await d.release?.().catch((e: unknown) =>
      logger.warn('dyno resources not released', { dyno: d.observed.spec.name, error: errorMessage(e) }),
    );
    await removeTree(d.scratchDir);
    table.remove(d, status, error);
  };

  const onLeaderExit = async (d: LocalDyno, child: ChildProcess, status: number) => {
    const pid = child.pid as number;
    // A dyno whose main process died has no business keeping children (Heroku reaps orphans).
    if (d.stopRequested) await waitGroupGone(pid, config.dyno.stopTimeoutMs + 5000);
    else signalGroup(pid, 'SIGKILL');
    await outputClosed(child, 1000);
    await finish(d, status);
  };

  const launch = async (d: LocalDyno) => {
    const { spec } = d.observed;
    const { slugChecksum } = spec.artifact;
    if (!slugChecksum) throw new Error('the release has no slug to run (the local runtime runs slugs)');
    const releaseDir = await releaseDirs.ensure(slugChecksum);
    const port = spec.web ? await freePort(HOST) : null;
    mkdirSync(d.scratchDir, { recursive: true, mode: 0o700 });
    if (d.stopRequested) return finish(d, SIGTERM_STATUS);
    const env = { PATH: config.stackPath, ...spec.env, ...(port !== null ? { PORT: String(port) } : {}) };
    const launched = await launcher.launch({
      releaseDir, scratchDir: d.scratchDir, command: spec.command, env, size: spec.size,
      dynoId: spec.dynoId, appId: spec.appId, name: spec.name,
      ...(spec.oneOff?.attachment ? { attached: { tty: spec.oneOff.attachment.tty } } : {}),
    });
    const { child } = launched;
    d.release = launched.release ?? null;
    if (launched.stoppable) d.stoppable = launched.stoppable;
    d.observed.isolation = launcher.isolation;
    if (spec.web && launched.host) d.observed.host = launched.host;
    child.on('error', (e) => logger.warn('dyno process error', { dyno: spec.name, error: e.message }));
    d.child = child;
    d.observed.port = port;
    writeDynoRecord(d.scratchDir, { dynoId: spec.dynoId, appId: spec.appId, name: spec.name, pid: child.pid as number });
    const attachment = spec.oneOff?.attachment;
    if (attachment) connectAttachment(child, attachment);
    else {
      const write = (message: string) => logs.write(spec.appId, { source: 'app', process: spec.name, message });
      forEachLine(child.stdout, write);
      forEachLine(child.stderr, write);
    }
    child.once('exit', (code, signal) => void onLeaderExit(d, child, exitStatus(code, signal)));
    d.markLaunched();
    if (d.stopRequested) return;
    if (port === null) return markUp(d);
    if (await waitUntilReady(d.observed.host ?? HOST, port, spec.healthCheckPath, d.probe.signal)) markUp(d);
  };

  const terminate = async (d: LocalDyno, kill: boolean): Promise<{ forced: boolean }> => {
    await d.launched;
    const pid = d.child?.pid;
    if (pid === undefined || d.finished) {
      await d.done;
      return { forced: false };
    }
    let forced = false;
    if (kill) signalGroup(pid, 'SIGKILL');
    else {
      await settledWithin(d.stoppable, config.dyno.stopTimeoutMs);
      forced = (await terminateGroup(pid, config.dyno.stopTimeoutMs)).forced;
    }
    await d.done;
    return { forced };
  };

  return {
    name: 'local',
    runs: 'slug',
    // A previous server's dynos cannot be adopted: their output pipes ended with it. They are stopped instead.
    async adopt() {
      await launcher.recover?.(dynosDir, new Set(dynos.keys()));
      const n = await reapOrphans(dynosDir, config.dyno.stopTimeoutMs, logger, new Set(dynos.keys()));
      if (n) logger.info('stopped dynos left by a previous server', { count: n });
    },
    servicesAddress: () => (opts.sandbox ? prepareServicesAddress({ sandbox: opts.sandbox }, logger) : Promise.resolve(null)),
    async doctor() {
      return { ok: true, report: opts.sandbox ? (await sandboxDoctor(opts.sandbox)).report : 'local: plain processes (no sandbox)' };
    },
    start(spec) {
      const d = newLocalDyno(tableDyno(spec, { host: spec.web ? HOST : null, isolation: launcher.isolation }), join(dynosDir, spec.dynoId));
      table.add(d);
      launch(d).catch((e: unknown) => {
        logger.warn('dyno failed to launch', { app: spec.appId, dyno: spec.name, error: errorMessage(e) });
        if (d.child?.pid !== undefined) signalGroup(d.child.pid, 'SIGKILL');
        void finish(d, 1, errorMessage(e));
      });
    },
    stop: (dynoId, opts = {}) => table.stop(dynoId, (d) => terminate(d, opts.kill ?? false)),
    list: table.list,
    usage(dynoId) {
      const pid = dynos.get(dynoId)?.child?.pid;
      return pid === undefined ? null : processTreeUsage(pid);
    },
    subscribe: table.subscribe,
    close() {
      return table.close((id) => this.stop(id));
    },
  };
}

/**
 * The `local` runtime driver: each dyno is a supervised process (its own
 * process group) running the slug in a private, writable copy of the
 * release's app dir. How the process is spawned is the Launcher's business
 * (plain now; a sandboxing launcher can replace it). A dyno's output goes to a
 * file, not to the server, so a restarted server adopts the dynos a killed one
 * left (design/023). Decides nothing: the reconciler says what runs.
 */
import { closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../shared/errors.js';
import { freePort } from '../../shared/net.js';
import { delay } from '../../shared/wait.js';
import { createSlugArchive } from '../../slugs/index.js';
import { waitUntilReady } from '../readiness.js';
import { createDynoTable, tableDyno } from '../dyno-table.js';
import type { RuntimeDriver, RuntimeDriverDeps } from '../types.js';
import { adoptableDynos, reapOrphans, recordedExitStatus, STATUS_FILE, writeDynoRecord, type AdoptableDyno } from './dyno-records.js';
import { followOutput, openOutputFile } from './dyno-output.js';
import { connectAttachment, newLocalDyno, outputClosed, type LocalDyno } from './dyno-process.js';
import { removeTree } from '../../shared/tree.js';
import type { Launcher } from './launcher.js';
import { processGone } from '../../shared/proc-stat.js';
import { exitStatus, signalGroup, terminateGroup, waitGroupGone } from './process-group.js';
import { processTreeUsage } from './usage.js';
import { createReleaseDirs } from './release-dirs.js';
import { launcherFor, prepareServicesAddress, sandboxDoctor, type SandboxConfig } from './sandbox/index.js';

export { dynoShellArgv, plainLauncher, type Launcher, type LaunchedDyno, type LaunchRequest } from './launcher.js';

const HOST = '127.0.0.1';
const SIGTERM_STATUS = 143;
const SIGKILL_STATUS = 137;
/** Reported for an adopted dyno whose status wrapper left no status (it was SIGKILLed by someone else). */
const UNKNOWN_STATUS = 255;

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
  /** How long after a dyno ends the releases no dyno runs lose their extracted files (default a minute). */
  pruneAfterMs?: number;
}

/**
 * Long enough that a crashing dyno's restart (after its back-off) or a quick
 * rollback usually finds its release's files still there.
 */
const PRUNE_AFTER_MS = 60_000;

export function createLocalDriver(deps: RuntimeDriverDeps, opts: LocalDriverOptions = {}): RuntimeDriver {
  const { config, logs, logger } = deps;
  const launcher = opts.launcher ?? launcherFor(opts.sandbox, deps, config.home);
  const dynosDir = join(config.home, 'dynos');
  const releaseDirs = createReleaseDirs(join(config.home, 'releases'), createSlugArchive(join(config.home, 'slugs')));
  const table = createDynoTable<LocalDyno>();
  const { dynos, markUp } = table;

  /** Removes the extracted releases no dyno in the table is made from; at most one run at a time. */
  let pruning: Promise<unknown> = Promise.resolve();
  const prune = () => {
    pruning = pruning.then(() => releaseDirs.prune(new Set([...dynos.values()].flatMap((d) => d.observed.spec.artifact.slugChecksum ?? []))))
      .catch((e: unknown) => logger.warn('released files not pruned', { error: errorMessage(e) }));
    return pruning;
  };
  let pruneTimer: NodeJS.Timeout | undefined;
  const pruneSoon = () => {
    clearTimeout(pruneTimer);
    pruneTimer = setTimeout(() => void prune(), opts.pruneAfterMs ?? PRUNE_AFTER_MS).unref();
  };

  const finish = async (d: LocalDyno, status: number, error?: string) => {
    if (d.finished) return;
    d.finished = true;
    d.probe.abort();
    d.markLaunched();
    d.output?.stop();
    await d.release?.().catch((e: unknown) =>
      logger.warn('dyno resources not released', { dyno: d.observed.spec.name, error: errorMessage(e) }),
    );
    await removeTree(d.scratchDir);
    table.remove(d, status, error);
    pruneSoon();
  };

  const onLeaderExit = async (d: LocalDyno, pid: number, status: number) => {
    // A dyno whose main process died has no business keeping children (Heroku reaps orphans).
    if (d.stopRequested) await waitGroupGone(pid, config.dyno.stopTimeoutMs + 5000);
    else signalGroup(pid, 'SIGKILL');
    if (d.child) await outputClosed(d.child, 1000);
    await finish(d, status);
  };

  /** Delivers the dyno's output file to the logs, from where the last server stopped reading. */
  const followDyno = (d: LocalDyno) => {
    const { appId, name } = d.observed.spec;
    d.output = followOutput(d.scratchDir, {
      onLine: (message) => logs.write(appId, { source: 'app', process: name, message }),
      onDropped: (bytes) => logs.write(appId, { source: 'heroku', process: name, message: `Dropped ${bytes} bytes of output written while no server ran` }),
      onError: (e) => logger.warn('dyno output not read', { dyno: name, error: errorMessage(e) }),
    });
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
    const attachment = spec.oneOff?.attachment;
    const output = openOutputFile(d.scratchDir);
    const launched = await launcher
      .launch({
        releaseDir, scratchDir: d.scratchDir, command: spec.command, env, size: spec.size,
        dynoId: spec.dynoId, appId: spec.appId, name: spec.name, output,
        ...(attachment ? { attached: { tty: attachment.tty } } : { statusFile: join(d.scratchDir, STATUS_FILE) }),
      })
      .finally(() => closeSync(output));
    const { child } = launched;
    d.release = launched.release ?? null;
    if (launched.stoppable) d.stoppable = launched.stoppable;
    d.observed.isolation = launcher.isolation;
    if (spec.web && launched.host) d.observed.host = launched.host;
    child.on('error', (e) => logger.warn('dyno process error', { dyno: spec.name, error: e.message }));
    d.child = child;
    d.pid = child.pid as number;
    d.observed.port = port;
    const { host, isolation } = d.observed;
    writeDynoRecord(d.scratchDir, spec, d.pid, { host, port, isolation });
    if (attachment) connectAttachment(child, attachment);
    else followDyno(d);
    child.once('exit', (code, signal) => void onLeaderExit(d, child.pid as number, exitStatus(code, signal)));
    d.markLaunched();
    if (d.stopRequested) return;
    if (port === null) return markUp(d);
    if (await waitUntilReady(d.observed.host ?? HOST, port, spec.healthCheckPath, d.probe.signal)) markUp(d);
  };

  const terminate = async (d: LocalDyno, kill: boolean): Promise<{ forced: boolean }> => {
    await d.launched;
    const pid = d.pid;
    if (pid === null || d.finished) {
      await d.done;
      return { forced: false };
    }
    let forced = false;
    d.killed = kill;
    if (kill) signalGroup(pid, 'SIGKILL');
    else {
      await settledWithin(d.stoppable, config.dyno.stopTimeoutMs);
      forced = (await terminateGroup(pid, config.dyno.stopTimeoutMs)).forced;
    }
    d.killed ||= forced;
    await d.done;
    return { forced };
  };

  /**
   * Takes over a dyno a previous server launched: the same process, its
   * output from where that server stopped reading, its exit seen by polling
   * (it is not our child), `up` again once its port answers.
   */
  const adoptDyno = ({ dir, record, spec }: AdoptableDyno) => {
    const d = newLocalDyno(tableDyno(spec, { host: record.observed.host, isolation: record.observed.isolation }), dir);
    d.observed.port = record.observed.port;
    d.pid = record.pid;
    d.release = launcher.adopted?.(dir).release ?? null;
    table.add(d);
    followDyno(d);
    d.markLaunched();
    void processGone(record.pid, record.startTime as string).then(() => {
      const status = recordedExitStatus(dir) ?? (d.killed ? SIGKILL_STATUS : null);
      if (status === null) logs.write(spec.appId, { source: 'heroku', process: spec.name, message: 'Process exited (exit status unknown: adopted after a server restart)' });
      return onLeaderExit(d, record.pid, status ?? UNKNOWN_STATUS);
    });
    const { host, port } = d.observed;
    if (port === null) return table.markUp(d);
    void waitUntilReady(host ?? HOST, port, spec.healthCheckPath, d.probe.signal).then((ok) => ok && table.markUp(d));
  };

  return {
    name: 'local',
    runs: 'slug',
    // Dynos a previous server left running are adopted; what cannot be (no process, an attached client) is cleaned.
    async adopt() {
      const found = adoptableDynos(dynosDir, new Set(dynos.keys()));
      for (const a of found) adoptDyno(a);
      if (found.length) logger.info('adopted the dynos a previous server left', { count: found.length });
      await launcher.recover?.(dynosDir, new Set(dynos.keys()));
      const n = await reapOrphans(dynosDir, config.dyno.stopTimeoutMs, logger, new Set(dynos.keys()));
      if (n) logger.info('stopped dynos left by a previous server', { count: n });
      pruneSoon();
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
        if (d.pid !== null) signalGroup(d.pid, 'SIGKILL');
        void finish(d, 1, errorMessage(e));
      });
    },
    stop: (dynoId, opts = {}) => table.stop(dynoId, (d) => terminate(d, opts.kill ?? false)),
    list: table.list,
    usage(dynoId) {
      const pid = dynos.get(dynoId)?.pid;
      return pid === undefined || pid === null ? null : processTreeUsage(pid);
    },
    subscribe: table.subscribe,
    async close() {
      await table.close((id) => this.stop(id));
      clearTimeout(pruneTimer);
      await pruning;
      await launcher.close?.();
    },
  };
}

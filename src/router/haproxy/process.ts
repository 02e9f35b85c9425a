import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import { processGone, processStartTime } from '../../shared/proc-stat.js';
import { FILES } from './config.js';

/** Why the HAProxy data plane cannot start on this host, or null when it can. */
export function haproxyMissing(binary = 'haproxy'): string | null {
  const probe = spawnSync(binary, ['-v'], { stdio: 'ignore' });
  if (!probe.error && probe.status === 0) return null;
  return (
    `The HAProxy router data plane needs the "${binary}" program (2.6 or later), which was not found. ` +
    'Install the Debian package `haproxy` (scripts/install-deps.sh does), or set CUPAAS_ROUTER_DATA_PLANE=node.'
  );
}

export interface HaproxyProcess {
  readonly pid: number;
  /** Resolves with the exit (code or signal). */
  readonly exited: Promise<string>;
  /** What it wrote on stderr, for error messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/** A HAProxy this server did not start: its pid and kernel start time (pids get reused). */
export interface LeftHaproxy {
  pid: number;
  startTime: string;
}

/** The HAProxy a previous server left running in `dir` (its pid file names this very process, a live haproxy), or null. */
export function leftRunning(dir: string): LeftHaproxy | null {
  try {
    const [pidText, startTime] = readFileSync(join(dir, FILES.pid), 'utf8').trim().split(' ');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 1 || !startTime || processStartTime(pid) !== startTime) return null;
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'haproxy' ? { pid, startTime } : null;
  } catch {
    return null;
  }
}

const tail = (dir: string) => {
  try {
    return readFileSync(join(dir, FILES.stderr), 'utf8').slice(-4000).trim();
  } catch {
    return '';
  }
};

/**
 * Runs `haproxy -db -f haproxy.cfg` in the router dir (argv only) in a
 * session of its own, with stderr to a file and its pid in `haproxy.pid`:
 * it outlives a killed server, whose successor adopts it (`adoptHaproxy`).
 */
export function runHaproxy(binary: string, dir: string): HaproxyProcess {
  const err = openSync(join(dir, FILES.stderr), 'w', 0o600);
  const child = spawn(binary, ['-db', '-f', FILES.config], { cwd: dir, stdio: ['ignore', 'ignore', err], detached: true });
  closeSync(err);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(e.message));
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  // With its start time, so that a later server never takes another process that reused the pid for it.
  if (child.pid !== undefined) writeFileSync(join(dir, FILES.pid), `${child.pid} ${processStartTime(child.pid) ?? ''}\n`, { mode: 0o600 });
  // Not awaited by the event loop: a server stopping without close() must not wait for its router.
  child.unref();
  const pid = child.pid ?? -1;
  return {
    pid,
    exited,
    stderr: () => tail(dir),
    stop: () => softStop(pid, exited, () => child.exitCode !== null || child.signalCode !== null || child.pid === undefined),
  };
}

/** Follows a HAProxy started by a previous server: its exit is seen by polling /proc. */
export function adoptHaproxy(left: LeftHaproxy, dir: string, pollMs = 250): HaproxyProcess {
  let gone = false;
  const exited = processGone(left.pid, left.startTime, pollMs).then(() => {
    gone = true;
    return 'exited (adopted process)';
  });
  const done = () => gone || processStartTime(left.pid) !== left.startTime;
  return { pid: left.pid, exited, stderr: () => tail(dir), stop: () => softStop(left.pid, exited, done) };
}

/** SIGUSR1 is HAProxy's soft stop: finish what is in flight; SIGTERM after a moment cuts the rest. */
async function softStop(pid: number, exited: Promise<string>, done: () => boolean): Promise<void> {
  if (pid < 0 || done()) return;
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(pid, s);
    } catch {
      // Already gone.
    }
  };
  signal('SIGUSR1');
  const hard = setTimeout(() => signal('SIGTERM'), 2000);
  await exited;
  clearTimeout(hard);
}

/** Restarts HAProxy when it dies unexpectedly, at most once per `backoffMs`. */
export function superviseHaproxy(
  start: () => Promise<HaproxyProcess>,
  logger: Pick<Logger, 'error' | 'info'>,
  backoffMs = 1000,
) {
  let current: HaproxyProcess | undefined;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;

  const restartLater = () => {
    timer = setTimeout(() => {
      launch().catch((e: Error) => {
        logger.error('router: haproxy restart failed; trying again', { error: e.message });
        restartLater();
      });
    }, backoffMs);
  };
  const watch = (p: HaproxyProcess) => {
    void p.exited.then((why) => {
      if (stopping || current !== p) return;
      logger.error('router: haproxy exited; restarting it', { why, stderr: p.stderr().slice(-500) });
      restartLater();
    });
  };
  const launch = async () => {
    if (stopping) return;
    const p = await start();
    current = p;
    watch(p);
  };

  return {
    launch,
    pid: () => current?.pid,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await current?.stop();
    },
  };
}

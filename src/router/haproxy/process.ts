import { spawn, spawnSync } from 'node:child_process';
import type { Logger } from '../../shared/logger.js';
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
  /** Resolves with the exit (code or signal). */
  readonly exited: Promise<string>;
  /** What it wrote on stderr, for error messages. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Runs `haproxy -db -f haproxy.cfg` in the router dir (argv only, foreground, so it dies with its parent's kill). */
export function runHaproxy(binary: string, dir: string): HaproxyProcess {
  const child = spawn(binary, ['-db', '-f', FILES.config], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-4000)));
  const exited = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(e.message));
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  });
  return {
    exited,
    stderr: () => err.trim(),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      // SIGUSR1 is HAProxy's soft stop: finish what is in flight; SIGTERM after a moment cuts the rest.
      child.kill('SIGUSR1');
      const hard = setTimeout(() => child.kill('SIGTERM'), 2000);
      await exited;
      clearTimeout(hard);
    },
  };
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
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await current?.stop();
    },
  };
}

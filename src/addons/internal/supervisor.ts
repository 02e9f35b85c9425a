import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import { waitFor } from '../../shared/wait.js';
import { freePort } from '../../shared/net.js';
import { isAlive } from '../../shared/process.js';
import type { ServiceUser } from './service-user.js';

/** One server the platform runs for add-ons (the postgres server, one redis instance...). */
export interface ServerSpec {
  /** Unique and path-safe: `postgres`, `redis/<id>`. */
  key: string;
  /** Holds `port`, `server.json`, `server.log` and the server's own files. */
  dir: string;
  /** Prepares the data directory; called before every start, so it must be idempotent. */
  init(port: number): Promise<void>;
  argv(port: number): readonly string[];
  ready(port: number): Promise<boolean>;
  /** The signal that makes the server shut down quickly and cleanly. */
  stopSignal: NodeJS.Signals;
}

interface Running {
  spec: ServerSpec;
  child: ChildProcess;
  port: number;
  stopping: boolean;
}

export interface SupervisorDeps {
  user: ServiceUser | null;
  /** Environment servers start with (PATH, locale); never the platform's secrets. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  startTimeoutMs?: number;
}

/**
 * Whether `pid` is a server of `dir`: its command line names the directory, or
 * it works inside it (redis-server rewrites its command line; every server
 * changes into its data directory).
 */
const servesDir = (pid: number, dir: string): boolean => {
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) return true;
    return `${readlinkSync(`/proc/${pid}/cwd`)}/`.startsWith(`${dir}/`);
  } catch {
    return false;
  }
};

/**
 * Starts add-on servers on demand, restarts them when they die, and stops them
 * on shutdown. A server keeps its port for life (it is in the apps' config
 * vars). A server left running by a platform that was killed is stopped and
 * started again under this platform's supervision.
 */
export function createSupervisor({ user, env, logger, startTimeoutMs = 60_000 }: SupervisorDeps) {
  const running = new Map<string, Running>();
  const starting = new Map<string, Promise<number>>();
  let closed = false;

  const portOf = async (spec: ServerSpec): Promise<number> => {
    const file = join(spec.dir, 'port');
    if (existsSync(file)) return Number(readFileSync(file, 'utf8').trim());
    const port = await freePort();
    writeFileSync(file, `${port}\n`);
    return port;
  };

  /** Stops a server a previous platform process left behind, if it is still up. */
  const stopLeftover = async (spec: ServerSpec): Promise<void> => {
    const file = join(spec.dir, 'server.json');
    if (!existsSync(file)) return;
    const { pid } = JSON.parse(readFileSync(file, 'utf8')) as { pid: number };
    if (!isAlive(pid) || !servesDir(pid, spec.dir)) return;
    logger.info('stopping add-on server left by a previous platform', { server: spec.key, pid });
    process.kill(pid, spec.stopSignal);
    await waitFor(() => !isAlive(pid), { timeoutMs: 30_000, what: `${spec.key} to stop` }).catch(() => process.kill(pid, 'SIGKILL'));
  };

  const launch = async (spec: ServerSpec): Promise<number> => {
    mkdirSync(spec.dir, { recursive: true, mode: 0o700 });
    await stopLeftover(spec);
    const port = await portOf(spec);
    await spec.init(port);
    const log = openSync(join(spec.dir, 'server.log'), 'a', 0o600);
    const [cmd, ...args] = spec.argv(port);
    const child = spawn(cmd as string, args, {
      cwd: spec.dir,
      env,
      // Own process group: a Ctrl-C meant for the platform must not reach the servers; the platform stops them.
      detached: true,
      stdio: ['ignore', log, log],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    closeSync(log);
    const entry: Running = { spec, child, port, stopping: false };
    running.set(spec.key, entry);
    writeFileSync(join(spec.dir, 'server.json'), JSON.stringify({ pid: child.pid, port }) + '\n');
    child.once('exit', (code, signal) => onExit(entry, code, signal));
    await waitFor(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited: ${tail(spec)}`);
        return spec.ready(port);
      },
      { timeoutMs: startTimeoutMs, intervalMs: 100, what: `add-on server ${spec.key} to accept connections` },
    );
    logger.info('add-on server started', { server: spec.key, pid: child.pid, port });
    return port;
  };

  const onExit = (entry: Running, code: number | null, signal: NodeJS.Signals | null) => {
    if (running.get(entry.spec.key) === entry) running.delete(entry.spec.key);
    if (entry.stopping || closed) return;
    logger.warn('add-on server died; restarting it', { server: entry.spec.key, code, signal, log: tail(entry.spec) });
    ensure(entry.spec).catch((e: unknown) =>
      logger.error('add-on server did not restart', { server: entry.spec.key, error: String(e) }),
    );
  };

  /** Starts the server unless it runs already; resolves with its port once it accepts connections. */
  const ensure = (spec: ServerSpec): Promise<number> => {
    if (closed) return Promise.reject(new Error('the platform is shutting down'));
    const up = running.get(spec.key);
    if (up && !starting.has(spec.key)) {
      up.spec = spec; // the newest spec (e.g. after a password change) is the one a restart uses
      return Promise.resolve(up.port);
    }
    let p = starting.get(spec.key);
    if (!p) {
      p = launch(spec).finally(() => starting.delete(spec.key));
      starting.set(spec.key, p);
    }
    return p;
  };

  const stop = async (key: string): Promise<void> => {
    await starting.get(key)?.catch(() => undefined);
    const entry = running.get(key);
    if (!entry) return;
    entry.stopping = true;
    const exited = new Promise<void>((resolve) => entry.child.once('exit', () => resolve()));
    entry.child.kill(entry.spec.stopSignal);
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };

  return {
    ensure,
    stop,
    isRunning: (key: string): boolean => running.has(key),
    /** Stops every server (platform shutdown); nothing restarts afterwards. */
    async stopAll(): Promise<void> {
      closed = true;
      await Promise.all([...new Set([...running.keys(), ...starting.keys()])].map(stop));
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;

/** The last lines of a server's log, for error messages. */
function tail(spec: ServerSpec): string {
  try {
    return readFileSync(join(spec.dir, 'server.log'), 'utf8').trimEnd().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no log)';
  }
}

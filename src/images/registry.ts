import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { isAlive } from '../shared/process.js';
import { waitFor } from '../shared/wait.js';
import { registryAnswers } from './registry-api.js';

/** Restarts of a crashing registry are spaced by this much. */
const RESTART_DELAY_MS = 1000;

export interface LocalRegistry {
  /** `127.0.0.1:PORT`: the host part of every tag pushed to it. */
  readonly host: string;
  stop(): Promise<void>;
}

/**
 * Stops the registry a previous server on this home left running (it was
 * killed): only a process whose command line names this home's config file.
 */
function stopLeftover(pidFile: string, config: string): void {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
    if (!isAlive(pid) || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(config)) return;
  } catch {
    return;
  }
  process.kill(pid, 'SIGTERM');
  rmSync(pidFile, { force: true });
}

function configFile(dataDir: string, port: number, htpasswd: string | null): string {
  const auth = htpasswd ? `auth:\n  htpasswd:\n    realm: cupaas\n    path: ${JSON.stringify(htpasswd)}\n` : '';
  return [
    'version: 0.1',
    'log:\n  level: warn',
    `storage:\n  filesystem:\n    rootdirectory: ${JSON.stringify(dataDir)}\n  delete:\n    enabled: true`,
    `http:\n  addr: 127.0.0.1:${port}`,
    auth,
  ].join('\n');
}

export interface RegistryOptions {
  /** Data and config live here (`$CUPAAS_HOME/registry`). */
  dir: string;
  port: number;
  logger: Logger;
  /** An htpasswd file: the registry then wants a password (tests of pushing to an outside registry). */
  htpasswd?: string;
  /** Where the `docker-registry` binary is (Debian's package puts it on PATH). */
  binary?: string;
}

/**
 * Runs Debian's `docker-registry` on 127.0.0.1:PORT (the engine pushes to a
 * loopback registry without TLS), data under `dir`, and restarts it when it
 * dies, like the add-on servers. Resolves once it answers.
 */
export async function startLocalRegistry(opts: RegistryOptions): Promise<LocalRegistry> {
  const host = `127.0.0.1:${opts.port}`;
  const dataDir = join(opts.dir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const config = join(opts.dir, 'config.yml');
  writeFileSync(config, configFile(dataDir, opts.port, opts.htpasswd ?? null), { mode: 0o600 });
  let child: ChildProcess | null = null;
  let stopped = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const launch = () => {
    const c = spawn(opts.binary ?? 'docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    if (c.pid) writeFileSync(join(opts.dir, 'registry.pid'), `${c.pid}\n`);
    let tail = '';
    c.stderr?.setEncoding('utf8').on('data', (s: string) => (tail = (tail + s).slice(-2000)));
    c.on('error', (e) => opts.logger.error('registry could not start', { error: errorMessage(e) }));
    c.on('exit', (code, signal) => {
      child = null;
      if (stopped) return;
      opts.logger.warn('registry exited; restarting', { code, signal, output: tail.trim().split('\n').slice(-3).join(' ') });
      restartTimer = setTimeout(launch, RESTART_DELAY_MS);
    });
  };
  stopLeftover(join(opts.dir, 'registry.pid'), config);
  await waitFor(async () => !(await registryAnswers(host)), { what: 'the previous registry to stop', timeoutMs: 10_000 }).catch(() => undefined);
  if (await registryAnswers(host)) throw new Error(`port ${opts.port} already answers as a registry: set CUPAAS_REGISTRY_PORT to a free port`);
  launch();
  const stop = async () => {
    stopped = true;
    clearTimeout(restartTimer);
    const c = child as ChildProcess | null;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    await gone;
  };
  try {
    await waitFor(() => registryAnswers(host), { what: `the registry on ${host}`, timeoutMs: 20_000 });
  } catch (e) {
    await stop();
    throw e;
  }
  return { host, stop };
}

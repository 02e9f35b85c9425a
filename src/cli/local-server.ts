import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../shared/wait.js';
import { isAlive } from '../shared/process.js';
import { CliError } from './errors.js';

/**
 * Node flags of the server process, as bin/cupaas.js's first line gives them (issue 17): only
 * flags at start work, V8 reads them before any code runs. `--expose-gc`, so that letting go of
 * what a deploy loaded (`shared/lazy.ts`) can collect it there and then: an idle server may run
 * no full collection for minutes. The young generation keeps V8's default size: the 1 MB
 * semi-spaces of rounds 3-4 cost the Node plane ~20% more CPU per request, for under 1 MB at idle.
 */
export const SERVER_NODE_FLAGS = ['--expose-gc'];

/** The server's environment additions, as bin/cupaas.js's first line gives them: glibc's mmap threshold fixed (issue 17). */
export const SERVER_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

export interface LocalServer {
  pid: number;
  apiUrl: string;
  routerUrl: string | null;
  /** True when this call started it. */
  started: boolean;
}

interface ServerJson {
  pid: number;
  apiUrl: string;
  routerUrl?: string;
}

function readServerJson(home: string): ServerJson | null {
  try {
    return JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as ServerJson;
  } catch {
    return null;
  }
}

async function answers(apiUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2000) });
    return res.status < 500;
  } catch {
    return false;
  }
}

/** The server running on `home`, if any answers. */
export async function findLocalServer(home: string): Promise<Omit<LocalServer, 'started'> | null> {
  const info = readServerJson(home);
  if (!info || !isAlive(info.pid) || !(await answers(info.apiUrl))) return null;
  return { pid: info.pid, apiUrl: info.apiUrl, routerUrl: info.routerUrl ?? null };
}

/**
 * Starts `cupaas server` in the background on `home` unless one already runs
 * there; its output goes to `home/server.log`.
 */
export async function ensureLocalServer(home: string, serverArgs: readonly string[] = []): Promise<LocalServer> {
  const running = await findLocalServer(home);
  if (running) return { ...running, started: false };
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const logPath = join(home, 'server.log');
  const log = openSync(logPath, 'a');
  // Re-run this same CLI (compiled or through tsx) as the server, with the server's V8 flags however this CLI started.
  const flags = SERVER_NODE_FLAGS.filter((f) => !process.execArgv.includes(f));
  const child = spawn(process.execPath, [...process.execArgv, ...flags, process.argv[1] as string, 'server', ...serverArgs], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, ...SERVER_ENV, CUPAAS_HOME: home },
  });
  closeSync(log);
  child.unref();
  const pid = child.pid as number;
  const seen = await waitFor(
    async () => {
      if (!isAlive(pid)) return { exited: true } as const;
      const j = readServerJson(home);
      return j && j.pid === pid && (await answers(j.apiUrl)) ? { info: j } : undefined;
    },
    { timeoutMs: 60_000, what: 'the cupaas server to start' },
  ).catch((e: unknown) => {
    throw new CliError(`${(e as Error).message}; see ${logPath}`);
  });
  if ('exited' in seen) {
    const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new CliError(`The server exited during start-up. Last lines of ${logPath}:\n${tail}`);
  }
  const { info } = seen;
  return { pid, apiUrl: info.apiUrl, routerUrl: info.routerUrl ?? null, started: true };
}

/** SIGTERM to the server on `home`; resolves once it has exited. */
export async function stopLocalServer(home: string): Promise<number | null> {
  const info = readServerJson(home);
  if (!info || !isAlive(info.pid)) return null;
  process.kill(info.pid, 'SIGTERM');
  await waitFor(() => !isAlive(info.pid), { timeoutMs: 60_000, what: `server pid ${info.pid} to exit` });
  return info.pid;
}

/**
 * Starts a real `cupaas server` as a child process on random ports with a
 * temporary CUPAAS_HOME, and gives tests an API client and a CLI runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeListedSpares, spareNetworksFile } from '../../src/runtime/local/sandbox/network-pool.js';
import { silentLogger } from '../../src/shared/logger.js';
import { waitFor } from '../../src/shared/wait.js';
import { runCli, type CliResult } from './cli.js';
import { tempDir } from './temp.js';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
/** Absolute, so subprocesses find tsx whatever their working directory. */
export const TSX_ARGS = ['--import', import.meta.resolve('tsx')];
export const SERVER_ENTRY = join(REPO_ROOT, 'src/cli/main.ts');

export interface TestPlatform {
  home: string;
  /** A directory to use as $HOME for CLI and git (holds .netrc). */
  userHome: string;
  apiUrl: string;
  routerUrl: string | null;
  /** The router's HTTPS URL, when started with `--router-tls-port`. */
  routerTlsUrl: string | null;
  apiKey: string;
  process: ChildProcess;
  /** Everything the server printed so far. */
  output(): string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
  cli(args: readonly string[], opts?: { cwd?: string; input?: string; env?: Record<string, string> }): Promise<CliResult>;
  /** The environment a CLI or git subprocess should get to talk to this platform. */
  clientEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL and wait for exit, leaving the home as a crash would. */
  kill9(): Promise<void>;
  /** Starts a new server on the same home (after stop or kill9). */
  restart(): Promise<TestPlatform>;
  /** Stops the server if running and deletes the temp dirs. */
  cleanup(): Promise<void>;
}

export interface ApiResult {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * What an admin of a test machine allows: log collectors on loopback, and
 * `file://` repositories in the temp directory (never under CUPAAS_HOME).
 */
export const ADMIN_ALLOWANCES = { CUPAAS_DRAIN_ALLOW: '127.0.0.1,::1', CUPAAS_REPO_FILE_DIRS: tmpdir() };

export interface StartOptions {
  home?: string;
  userHome?: string;
  env?: Record<string, string>;
  args?: readonly string[];
  /** Run the server as users do, `bin/cupaas.js server` (the compiled build when there is one), not the sources through tsx. */
  asInstalled?: boolean;
  /** Run the server of another checkout (A/B benchmarks against another commit); default this one. */
  repoRoot?: string;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startPlatform(opts: StartOptions = {}): Promise<TestPlatform> {
  // Removed at exit even when a test replaces this platform with a restarted one.
  const home = opts.home ?? tempDir('cupaas-home');
  const userHome = opts.userHome ?? tempDir('cupaas-user');
  const serverJson = join(home, 'server.json');
  rmSync(serverJson, { force: true });
  const serverArgs = ['server', '--api-port', '0', '--router-port', '0', ...(opts.args ?? [])];
  // As installed: the executable itself, so its first line's node flags apply as they do for users.
  const root = opts.repoRoot ?? REPO_ROOT;
  const child = spawn(
    opts.asInstalled ? join(root, 'bin/cupaas.js') : process.execPath,
    opts.asInstalled ? serverArgs : [...TSX_ARGS, join(root, 'src/cli/main.ts'), ...serverArgs],
    {
      env: { ...process.env, CUPAAS_HOME: home, HOME: userHome, CUPAAS_LOG_LEVEL: 'debug', ...ADMIN_ALLOWANCES, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const died = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`))),
  );
  died.catch(() => {});
  const ready = waitFor(
    () => {
      if (!existsSync(serverJson)) return undefined;
      const j = JSON.parse(readFileSync(serverJson, 'utf8')) as { pid: number; apiUrl: string; routerUrl?: string; routerTlsUrl?: string };
      return j.pid === child.pid ? j : undefined;
    },
    { timeoutMs: 120_000, what: 'server to start' },
  );
  const info = await Promise.race([ready, died]).catch((e: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${out}`);
  });
  const apiKey = (JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as { apiKey: string }).apiKey;

  const clientEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    CUPAAS_HOME: home,
    CUPAAS_API_URL: info.apiUrl,
    HOME: userHome,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    ...extra,
  });

  const platform: TestPlatform = {
    home,
    userHome,
    apiUrl: info.apiUrl,
    routerUrl: info.routerUrl ?? null,
    routerTlsUrl: info.routerTlsUrl ?? null,
    apiKey,
    process: child,
    output: () => out,
    async api(method, path, body, headers = {}) {
      const res = await fetch(info.apiUrl + path, {
        method,
        headers: {
          Accept: 'application/vnd.heroku+json; version=3',
          Authorization: `Bearer ${apiKey}`,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: keep the text.
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    cli: (args, o = {}) => runCli(args, { cwd: o.cwd ?? userHome, input: o.input, env: clientEnv(o.env) }),
    clientEnv,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited(child);
    },
    restart: () => startPlatform({ ...opts, home, userHome }),
    async cleanup() {
      if (child.exitCode === null && child.signalCode === null) await platform.stop();
      // A server the test killed left its spare dyno networks listed in the home; with the home goes the list.
      else if (!opts.home) await removeListedSpares(spareNetworksFile(home), silentLogger);
      if (!opts.home) rmSync(home, { recursive: true, force: true });
      if (!opts.userHome) rmSync(userHome, { recursive: true, force: true });
    },
  };
  return platform;
}

import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';

export interface ExecOptions {
  cwd: string;
  env: Readonly<Record<string, string>>;
  signal: AbortSignal;
  onOutput(chunk: string): void;
  /** Appends the group's id here, so a server that died mid-build can stop it at its next start. */
  pidFile?: string;
}

/**
 * Runs a buildpack program (argv only) in its own process group, so an abort
 * (build time limit, output limit) kills everything it started, such as npm's
 * children, not only the script itself. Resolves with the exit code.
 */
export function execInGroup(argv: readonly string[], opts: ExecOptions): Promise<number> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('execInGroup: empty argv');
  if (opts.signal.aborted) return Promise.reject(opts.signal.reason);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (opts.pidFile && child.pid) appendFileSync(opts.pidFile, `${child.pid}\n`);
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone.
      }
    };
    opts.signal.addEventListener('abort', kill, { once: true });
    child.stdout.setEncoding('utf8').on('data', opts.onOutput);
    child.stderr.setEncoding('utf8').on('data', opts.onOutput);
    child.on('error', (e) => {
      opts.signal.removeEventListener('abort', kill);
      reject(e);
    });
    child.on('close', (code, sig) => {
      opts.signal.removeEventListener('abort', kill);
      // Children the script left behind would hold the build dir open.
      kill();
      if (opts.signal.aborted) reject(opts.signal.reason);
      else resolve(code ?? (sig ? 128 : 1));
    });
  });
}

/**
 * Kills the process groups a dead server's build left running. A group is
 * killed only while its leader still works inside `workDir`, so a pid the
 * system has since reused for something else is left alone.
 */
export function killLeftovers(pidFile: string, workDir: string): number {
  if (!existsSync(pidFile)) return 0;
  const root = resolve(workDir) + '/';
  let killed = 0;
  for (const pid of readFileSync(pidFile, 'utf8').split('\n').map(Number).filter((n) => n > 1)) {
    try {
      if (!(readlinkSync(`/proc/${pid}/cwd`) + '/').startsWith(root)) continue;
      process.kill(-pid, 'SIGKILL');
      killed++;
    } catch {
      // Gone already, or not ours to inspect.
    }
  }
  return killed;
}

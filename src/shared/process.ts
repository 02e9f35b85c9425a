import { spawn, type SpawnOptions } from 'node:child_process';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions extends Pick<SpawnOptions, 'cwd' | 'env' | 'timeout'> {
  input?: string | Buffer;
  /** Called with each chunk of output as it arrives. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * The one way the platform runs a program: an argv array, never a shell string,
 * so no value can be interpreted as shell syntax.
 */
export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  if (!cmd) throw new Error('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      timeout: opts.timeout,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onOutput?.(c, 'stdout');
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
      opts.onOutput?.(c, 'stderr');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input);
  });
}

/** Like run(), but rejects with the program's stderr when it exits non-zero. */
export async function runChecked(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(argv, opts);
  if (r.code !== 0) {
    const why = r.stderr.trim() || r.stdout.trim() || `signal ${r.signal}`;
    throw new Error(`${argv[0]} ${argv[1] ?? ''} failed (exit ${r.code}): ${why}`);
  }
  return r;
}

/** Whether a process with this pid exists (EPERM: it exists, but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

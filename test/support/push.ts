/**
 * Pushing apps to a test platform with the real git client over HTTP: a work
 * tree made from an example (or files), committed and pushed with the
 * platform user's API key from ~/.netrc, as `cupaas login` would set up.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, type TestPlatform } from './platform.js';
import { tempDir } from './temp.js';

export interface PushResult {
  code: number | null;
  /** Everything git printed (the build arrives as `remote:` lines). */
  output: string;
}

export interface AppWorkTree {
  dir: string;
  /** Writes files (null deletes nothing; just content), commits, returns the sha. */
  commit(message: string, files?: Record<string, string>): Promise<string>;
  push(refspec?: string, url?: string): Promise<PushResult>;
}

const IDENTITY = ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', '-c', 'init.defaultBranch=main'];

function gitIn(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): Promise<PushResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...IDENTITY, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Writes ~/.netrc for the platform's host so git authenticates with the API key. */
export function writeNetrc(platform: TestPlatform, key = platform.apiKey): void {
  const host = new URL(platform.apiUrl).hostname;
  writeFileSync(join(platform.userHome, '.netrc'), `machine ${host}\n  login cupaas\n  password ${key}\n`, { mode: 0o600 });
}

/** A git work tree for `app`, starting from `examples/<example>` or empty. */
export async function appWorkTree(platform: TestPlatform, app: string, example?: string): Promise<AppWorkTree> {
  const dir = tempDir(`cupaas-${app}`);
  if (example) cpSync(join(REPO_ROOT, 'examples', example), dir, { recursive: true });
  const env = platform.clientEnv();
  const run = async (args: readonly string[]) => {
    const r = await gitIn(dir, env, args);
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed:\n${r.output}`);
    return r.output.trim();
  };
  await run(['init', '--quiet']);
  return {
    dir,
    async commit(message, files = {}) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      await run(['add', '--all']);
      await run(['commit', '--quiet', '--allow-empty', '-m', message]);
      return run(['rev-parse', 'HEAD']);
    },
    push: (refspec = 'HEAD:main', url = `${platform.apiUrl}/${app}.git`) => gitIn(dir, env, ['push', url, refspec]),
  };
}

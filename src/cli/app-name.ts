import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CliError } from './errors.js';

const execFileP = promisify(execFile);

/** The app name in a cupaas git URL (`http://host:5000/NAME.git`). */
export function appFromGitUrl(url: string): string | null {
  const m = /\/([a-z][a-z0-9-]{1,29})\.git\/?$/.exec(url.trim());
  return m ? (m[1] as string) : null;
}

/** `-a NAME`, else the app behind the git remote (default `cupaas`) of the current directory. */
export async function resolveAppName(flagApp: string | undefined, remote = 'cupaas'): Promise<string> {
  if (flagApp) return flagApp;
  try {
    const { stdout } = await execFileP('git', ['remote', 'get-url', remote]);
    const name = appFromGitUrl(stdout);
    if (name) return name;
  } catch {
    // Not a git checkout, or no such remote: fall through to the hint.
  }
  throw new CliError(
    'No app specified.',
    `Pass -a APP, or run inside a git checkout with a \`${remote}\` remote (\`cupaas git:remote -a APP\`).`,
  );
}

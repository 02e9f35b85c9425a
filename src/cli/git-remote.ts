import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/**
 * Points `remote` at `url` in the git checkout of the current directory.
 * Returns false outside a checkout, where there is nothing to add it to.
 */
export async function addGitRemote(remote: string, url: string): Promise<boolean> {
  try {
    await execFileP('git', ['rev-parse', '--git-dir']);
  } catch {
    return false;
  }
  try {
    await execFileP('git', ['remote', 'set-url', remote, url]);
  } catch {
    await execFileP('git', ['remote', 'add', remote, url]);
  }
  return true;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run, runChecked } from '../../shared/process.js';
import { scrub, type GitAccess } from './git-access.js';

const FETCH_TIMEOUT_MS = 5 * 60_000;
const LS_REMOTE_TIMEOUT_MS = 60_000;

/** A git failure whose message is safe to show: scrubbed of credentials, trimmed to its gist. */
export class GitRemoteError extends Error {
  override name = 'GitRemoteError';
}

function failure(what: string, stderr: string, access: GitAccess, timedOut: boolean): GitRemoteError {
  if (timedOut) return new GitRemoteError(`${what} timed out; is the repository reachable?`);
  const lines = scrub(stderr, access.secrets)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const gist = lines.filter((l) => /^(fatal|error|remote):/i.test(l)).join(' ') || lines.slice(-2).join(' ');
  return new GitRemoteError(`${what} failed: ${gist || 'git exited with an error'}`.slice(0, 500));
}

/**
 * The sha the branch points to on the remote (`git ls-remote`), or null when
 * the remote has no such branch.
 */
export async function remoteHead(url: string, branch: string, access: GitAccess): Promise<string | null> {
  const ref = `refs/heads/${branch}`;
  const r = await run(['git', 'ls-remote', '--end-of-options', url, ref], { env: access.env, timeout: LS_REMOTE_TIMEOUT_MS });
  if (r.code !== 0) throw failure('git ls-remote', r.stderr, access, r.signal !== null);
  const line = r.stdout.split('\n').find((l) => l.endsWith(`\t${ref}`));
  return line ? line.slice(0, line.indexOf('\t')) : null;
}

/**
 * Fetches the branch into the app's bare mirror, forcing the update so a
 * force-push or rewritten history moves the mirror to the new head, and
 * returns that head. The commit (message, author) is then in the mirror for
 * the deploy pipeline to read.
 */
export async function fetchHead(gitDir: string, url: string, branch: string, access: GitAccess): Promise<string> {
  const git = (args: string[]) => ['git', '-C', gitDir, ...args];
  if (!existsSync(join(gitDir, 'HEAD'))) {
    await runChecked(['git', 'init', '--quiet', '--bare', gitDir], { env: access.env });
    // No automatic gc: a build may still be reading a commit the branch just moved away from.
    await runChecked(git(['config', 'gc.auto', '0']), { env: access.env });
  }
  const ref = `refs/heads/${branch}`;
  const r = await run(git(['fetch', '--quiet', '--force', '--no-tags', '--end-of-options', url, `+${ref}:${ref}`]), {
    env: access.env,
    timeout: FETCH_TIMEOUT_MS,
  });
  if (r.code !== 0) {
    if (/couldn't find remote ref/i.test(r.stderr)) {
      throw new GitRemoteError(`The repository has no branch ${branch}; push it, or connect another branch.`);
    }
    throw failure('git fetch', r.stderr, access, r.signal !== null);
  }
  const head = await runChecked(git(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]), { env: access.env });
  return head.stdout.trim();
}

/**
 * The branch head the mirror last fetched, read locally (no remote contact),
 * or null when there is no mirror or no such branch in it yet.
 */
export async function mirrorHead(gitDir: string, branch: string, access: GitAccess): Promise<string | null> {
  if (!existsSync(join(gitDir, 'HEAD'))) return null;
  const ref = `refs/heads/${branch}^{commit}`;
  const r = await run(['git', '-C', gitDir, 'rev-parse', '--verify', '--quiet', '--end-of-options', ref], { env: access.env });
  return r.code === 0 ? r.stdout.trim() : null;
}

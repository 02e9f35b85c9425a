import { spawnSync } from 'node:child_process';

/**
 * Whether git itself accepts `name` as a branch name (`git check-ref-format`
 * on `refs/heads/NAME`: no `/a`, `.hidden`, `a.lock`, `a..b`, `@{`, ...).
 * A leading `-` and `HEAD` are refused too, so a name can never be read as
 * an option or as the symbolic ref.
 */
export function isGitBranchName(name: string): boolean {
  if (!name || name.length > 200 || name.startsWith('-') || name === 'HEAD') return false;
  if (/[\x00-\x20\x7f]/.test(name)) return false;
  const r = spawnSync('git', ['check-ref-format', `refs/heads/${name}`], { stdio: 'ignore', timeout: 10_000 });
  return r.status === 0;
}

import { mkdirSync, rmSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { tar } from '../shared/occasional.js';
import { PlatformError } from '../shared/errors.js';
import { runChecked } from '../shared/process.js';

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

const refuse = (path: string, why: string) =>
  new PlatformError('build_failed', `Refusing the source archive: entry "${path}" ${why}.`);

/** The entry's path inside the target, or null when it would leave it. */
function insidePath(path: string): string | null {
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.includes('\0')) return null;
  const clean = posix.normalize(path.replace(/\\/g, '/')).replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (clean === '..' || clean.startsWith('../')) return null;
  return clean === '.' ? '' : clean;
}

/**
 * Reads every entry's header before anything is written and refuses the
 * whole archive when one would land outside the target: absolute or `..`
 * paths, links whose target leaves it, paths through an earlier symlink, or
 * device files.
 */
async function checkEntries(file: string): Promise<void> {
  const symlinks = new Set<string>();
  let problem: PlatformError | null = null;
  await tar().list({
    file,
    strict: true,
    onReadEntry(entry) {
      if (problem) return;
      const path = insidePath(entry.path);
      if (path === null) return void (problem = refuse(entry.path, 'points outside the app directory'));
      if (!ALLOWED_TYPES.has(entry.type)) return void (problem = refuse(entry.path, `is a ${entry.type}, not a file`));
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) {
        if (symlinks.has(parts.slice(0, i).join('/'))) return void (problem = refuse(entry.path, 'goes through a symlink'));
      }
      if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        const target = entry.linkpath ?? '';
        const base = entry.type === 'Link' ? '' : posix.dirname(path);
        if (isAbsolute(target) || insidePath(posix.join(base, target)) === null) {
          return void (problem = refuse(entry.path, `links to "${target}", outside the app directory`));
        }
        symlinks.add(path);
      }
    },
  });
  if (problem) throw problem;
}

/** Extracts a (gzipped) tarball into `dest` after checking every entry. */
export async function extractSourceArchive(file: string, dest: string): Promise<void> {
  try {
    await checkEntries(file);
  } catch (e) {
    if (e instanceof PlatformError) throw e;
    throw new PlatformError('build_failed', `The source is not a readable tar archive: ${(e as Error).message}`);
  }
  mkdirSync(dest, { recursive: true });
  await tar().extract({ file, cwd: dest, preserveOwner: false, strict: true });
  rmSync(join(dest, '.git'), { recursive: true, force: true });
}

/** Extra git environment, e.g. the object quarantine of a push in progress. */
export type GitEnv = Readonly<Record<string, string>>;

export interface CommitInfo {
  sha: string;
  message: string;
  author: string;
}

const gitEnv = (gitDir: string, extra: GitEnv, path: string) => ({ ...extra, GIT_DIR: gitDir, PATH: path });

/** Writes the files of commit `sha` into `dest` (via `git archive`, checked like any archive). */
export async function materializeCommit(
  gitDir: string, sha: string, dest: string, opts: { env: GitEnv; hostPath: string; scratch: string },
): Promise<CommitInfo> {
  const env = gitEnv(gitDir, opts.env, opts.hostPath);
  const show = await runChecked(['git', 'show', '-s', '--format=%H%x00%an <%ae>%x00%B', sha], { env });
  const [full, author, message] = show.stdout.split('\0') as [string, string, string];
  mkdirSync(opts.scratch, { recursive: true });
  const archive = join(opts.scratch, 'source.tar');
  await runChecked(['git', 'archive', '--format=tar', '-o', archive, full], { env });
  await extractSourceArchive(archive, dest);
  rmSync(archive, { force: true });
  return { sha: full, author: author.trim(), message: message.trim() };
}

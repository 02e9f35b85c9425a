import { chmodSync, chownSync, mkdirSync, statSync } from 'node:fs';
import { PlatformError } from '../../shared/errors.js';
import { run, runChecked } from '../../shared/process.js';

/**
 * The unprivileged account add-on servers run as when the platform runs as
 * root (PostgreSQL refuses to run as root). It is not the dynos' account, so
 * an app can never read a server's data files directly.
 */
export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

export const SERVICE_USER_NAME = 'cupaas-addons';

const idOf = async (flag: '-u' | '-g'): Promise<number | null> => {
  const r = await run(['id', flag, SERVICE_USER_NAME]);
  return r.code === 0 ? Number(r.stdout.trim()) : null;
};

/** The service account (created on first use), or null when the platform is not root. */
export async function ensureServiceUser(isRoot: boolean): Promise<ServiceUser | null> {
  if (!isRoot) return null;
  if ((await idOf('-u')) === null) {
    const r = await run([
      'useradd', '--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent',
      '--shell', '/usr/sbin/nologin', SERVICE_USER_NAME,
    ]);
    // Another platform on this host may have created it meanwhile; only a still-missing user is an error.
    if (r.code !== 0 && (await idOf('-u')) === null) throw new Error(`useradd ${SERVICE_USER_NAME} failed: ${r.stderr.trim()}`);
  }
  return { name: SERVICE_USER_NAME, uid: (await idOf('-u')) as number, gid: (await idOf('-g')) as number };
}

/** argv that runs `argv` as the service user (unchanged when there is none). */
export const asUser = (user: ServiceUser | null, argv: readonly string[]): string[] =>
  user ? ['runuser', '-u', user.name, '--', ...argv] : [...argv];

/** Creates `dir` (mode 0700) owned by the service user. */
export function ownedDir(dir: string, user: ServiceUser | null): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

/**
 * Lets the service user pass through platform-owned `dirs` (group search bit
 * only: no listing, nothing for other accounts), then checks it can reach the last.
 */
export async function grantTraverse(user: ServiceUser | null, dirs: readonly string[]): Promise<void> {
  if (!user) return;
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = statSync(dir);
    if (st.gid !== user.gid && (st.mode & 0o010) === 0) chownSync(dir, st.uid, user.gid);
    chmodSync(dir, (st.mode & 0o7777) | 0o010);
  }
  const last = dirs[dirs.length - 1] as string;
  if ((await run(asUser(user, ['test', '-x', last]))).code !== 0) {
    throw new PlatformError(
      'service_unavailable',
      `Add-on servers run as the system user ${user.name}, which cannot reach ${last}. ` +
        'Give it search permission on every parent directory, or set CUPAAS_HOME to a directory under /srv or /var/lib.',
    );
  }
}

/** Runs a program as the service user and fails with its output when it fails. */
export const runAsUser = (user: ServiceUser | null, argv: readonly string[], env: NodeJS.ProcessEnv) =>
  runChecked(asUser(user, argv), { env });

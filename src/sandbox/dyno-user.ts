import { readFileSync } from 'node:fs';
import { run } from '../shared/process.js';

export interface DynoUser {
  name: string;
  uid: number;
  gid: number;
}

/** The user's ids from /etc/passwd text, or null. */
export function findUser(passwd: string, name: string): DynoUser | null {
  for (const line of passwd.split('\n')) {
    const [user, , uid, gid] = line.split(':');
    if (user === name && uid && gid) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

const lookup = (name: string) => findUser(readFileSync('/etc/passwd', 'utf8'), name);

/**
 * The unprivileged system user dynos run as, created on first use (without a
 * home or a login shell). Throws when it is missing and cannot be created, or
 * when the name belongs to root.
 */
export async function ensureDynoUser(name: string): Promise<DynoUser> {
  let user = lookup(name);
  if (!user) {
    const r = await run(['useradd', '--system', '--user-group', '--no-create-home', '--home-dir', '/app', '--shell', '/usr/sbin/nologin', name]);
    // A concurrent server may have created it first: look again before failing.
    user = lookup(name);
    if (!user) throw new Error(`cannot create the dyno user "${name}": ${r.stderr.trim() || `useradd exited ${r.code}`}`);
  }
  if (user.uid === 0 || user.gid === 0) throw new Error(`the dyno user "${name}" must not be root; set CUPAAS_SANDBOX_USER`);
  return user;
}

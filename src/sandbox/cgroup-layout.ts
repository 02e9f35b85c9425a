import { join } from 'node:path';

/** The controllers a dyno's limits need. */
export const CONTROLLERS = ['memory', 'cpu', 'pids'] as const;
export type Controller = (typeof CONTROLLERS)[number];

/**
 * Where dyno cgroups are created. v1: one parent directory per controller
 * hierarchy; v2: one parent in the unified hierarchy.
 */
export type CgroupLayout =
  | { version: 1; parents: Readonly<Record<Controller, string>> }
  | { version: 2; parent: string };

/** Directory holding every dyno cgroup, below the server's own cgroup (delegation, not a takeover of the host's). */
export const DYNOS_CGROUP = 'cupaas-dynos';

interface CgroupMount {
  /** The cgroup path the mount shows at its mount point (`/` unless a namespace or bind narrows it). */
  root: string;
  mountPoint: string;
  fsType: 'cgroup' | 'cgroup2';
  /** v1 controllers the hierarchy carries. */
  controllers: string[];
}

/** Cgroup mounts from /proc/self/mountinfo text. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const f = left.split(' ');
    const [fsType, , options = ''] = right.split(' ');
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    mounts.push({ root: f[3] ?? '/', mountPoint: f[4] ?? '', fsType, controllers: fsType === 'cgroup' ? options.split(',') : [] });
  }
  return mounts;
}

/** The process's cgroup path per v1 controller, and under `''` its v2 path (/proc/self/cgroup text). */
export function parseProcCgroup(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, controllers = '', path = '/'] = m;
    for (const c of controllers === '' ? [''] : controllers.split(',')) paths.set(c, path);
  }
  return paths;
}

/** Maps a cgroup path to a directory under a mount whose root may itself be a sub-path. */
function dirUnder(mount: CgroupMount, path: string): string {
  const rel = mount.root !== '/' && path.startsWith(mount.root) ? path.slice(mount.root.length) : path;
  return join(mount.mountPoint, rel);
}

/**
 * Picks the layout: v2 when its hierarchy offers every controller we need
 * (`v2Controllers` of the server's own v2 cgroup), else v1 when each of our
 * controllers has a v1 hierarchy; null when neither (the reason is returned).
 */
export function chooseCgroupLayout(
  mounts: readonly CgroupMount[],
  own: ReadonlyMap<string, string>,
  v2Controllers: (dir: string) => readonly string[],
): { layout: CgroupLayout } | { reason: string } {
  const unified = mounts.find((m) => m.fsType === 'cgroup2');
  if (unified) {
    const ownDir = dirUnder(unified, own.get('') ?? '/');
    const available = v2Controllers(ownDir);
    if (CONTROLLERS.every((c) => available.includes(c))) return { layout: { version: 2, parent: join(ownDir, DYNOS_CGROUP) } };
  }
  const parents: Partial<Record<Controller, string>> = {};
  for (const c of CONTROLLERS) {
    const mount = mounts.find((m) => m.fsType === 'cgroup' && m.controllers.includes(c));
    if (!mount) {
      return { reason: `no cgroup hierarchy offers the ${c} controller (v1 mount missing, and v2 ${unified ? 'lacks it' : 'is not mounted'})` };
    }
    parents[c] = join(dirUnder(mount, own.get(c) ?? '/'), DYNOS_CGROUP);
  }
  return { layout: { version: 1, parents: parents as Record<Controller, string> } };
}

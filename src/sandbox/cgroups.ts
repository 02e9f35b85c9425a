import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorMessage } from '../shared/errors.js';
import { delay } from '../shared/wait.js';
import { chooseCgroupLayout, CONTROLLERS, DYNOS_CGROUP, parseCgroupMounts, parseProcCgroup, type CgroupLayout } from './cgroup-layout.js';
import { CPU_WEIGHT, parentCpuWeight, statValue, v1Settings, v2Settings, workingSetBytes, type DynoLimits } from './cgroup-limits.js';

const read = (path: string): string => readFileSync(path, 'utf8');
const readOr = (path: string, fallback: string): string => {
  try {
    return read(path);
  } catch {
    return fallback;
  }
};

/** Every directory of a layout that holds dyno cgroups. */
const parentDirs = (layout: CgroupLayout): string[] =>
  layout.version === 2 ? [layout.parent] : CONTROLLERS.map((c) => layout.parents[c]);

/** v2 only hands controllers to children listed in the parent's subtree_control. */
function enableV2Controllers(dir: string): void {
  writeFileSync(join(dir, 'cgroup.subtree_control'), CONTROLLERS.map((c) => `+${c}`).join(' '));
}

/**
 * Finds where this server may create dyno cgroups and makes sure it can (the
 * parent dirs exist and are writable); otherwise explains why not.
 */
export function detectCgroups(): { layout: CgroupLayout } | { reason: string } {
  let chosen;
  try {
    chosen = chooseCgroupLayout(parseCgroupMounts(read('/proc/self/mountinfo')), parseProcCgroup(read('/proc/self/cgroup')), (dir) =>
      readOr(join(dir, 'cgroup.controllers'), '').trim().split(/\s+/),
    );
  } catch (e) {
    return { reason: `cgroups are not readable here: ${errorMessage(e)}` };
  }
  if ('reason' in chosen) return chosen;
  const { layout } = chosen;
  try {
    if (layout.version === 2) enableV2Controllers(dirname(layout.parent));
    for (const dir of parentDirs(layout)) mkdirSync(dir, { recursive: true });
    if (layout.version === 2) enableV2Controllers(layout.parent);
    // Proven writable; dynos recreate the parents on demand.
    removeEmptyParents(parentDirs(layout).map((p) => join(p, 'probe')));
  } catch (e) {
    const hint = layout.version === 2 ? ' (v2 needs the server in a delegated cgroup without other processes)' : '';
    return { reason: `cgroup v${layout.version} is not writable: ${errorMessage(e)}${hint}` };
  }
  return { layout };
}

/** One dyno's cgroup (a directory per v1 hierarchy, or one v2 directory). */
export interface DynoCgroup {
  /** The `cgroup.procs` files a process writes its pid to, to join. */
  readonly procsFiles: readonly string[];
  readonly dirs: readonly string[];
  /** Working-set bytes now, or null when unreadable (the cgroup is gone). */
  memoryBytes(): number | null;
  /** How many times the kernel's OOM killer struck in this cgroup. */
  oomKills(): number;
  pids(): number[];
}

/** The cgroup of dyno `name` under a layout (no I/O; see createDynoCgroup). */
export function dynoCgroup(layout: CgroupLayout, name: string): DynoCgroup {
  const dirs = parentDirs(layout).map((p) => join(p, name));
  const memDir = layout.version === 2 ? join(layout.parent, name) : join(layout.parents.memory, name);
  const v2 = layout.version === 2;
  return {
    dirs,
    procsFiles: dirs.map((d) => join(d, 'cgroup.procs')),
    memoryBytes() {
      try {
        const usage = Number(read(join(memDir, v2 ? 'memory.current' : 'memory.usage_in_bytes')).trim());
        return workingSetBytes(layout.version, usage, read(join(memDir, 'memory.stat')));
      } catch {
        return null;
      }
    },
    oomKills: () => statValue(readOr(join(memDir, v2 ? 'memory.events' : 'memory.oom_control'), ''), 'oom_kill') ?? 0,
    pids: () => pidsIn(dirs),
  };
}

/** Every pid in any of the cgroup dirs (none when they are gone). */
export const pidsIn = (dirs: readonly string[]): number[] => [
  ...new Set(dirs.flatMap((d) => readOr(join(d, 'cgroup.procs'), '').split('\n').filter(Boolean).map(Number))),
];

/** Creates the dyno's cgroup with its limits. */
export function createDynoCgroup(layout: CgroupLayout, name: string, limits: DynoLimits): DynoCgroup {
  const cg = dynoCgroup(layout, name);
  const dirOf = (where: string) =>
    layout.version === 2 ? (cg.dirs[0] as string) : (cg.dirs[CONTROLLERS.indexOf(where as (typeof CONTROLLERS)[number])] as string);
  try {
    // The parent goes when its last dyno does (see removeDynoCgroup); recreate it as needed.
    for (const dir of parentDirs(layout)) mkdirSync(dir, { recursive: true });
    if (layout.version === 2) enableV2Controllers(layout.parent);
    for (const dir of cg.dirs) mkdirSync(dir);
    for (const s of layout.version === 2 ? v2Settings(limits) : v1Settings(limits)) {
      const path = join(dirOf(s.where), s.file);
      if (s.optional && !existsSync(path)) continue;
      writeFileSync(path, s.value);
    }
    weighParents(cg.dirs);
  } catch (e) {
    for (const dir of cg.dirs.filter(existsSync)) rmdirSync(dir);
    throw e;
  }
  return cg;
}

const isGone = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Sets each CPU-controlling parent of `dirs` to the sum of its children's
 * weights (see parentCpuWeight), after a child came or went. Servers sharing
 * the parent may race; each write restates the sum it saw, and the next
 * start or stop corrects it. A parent or child that is gone meanwhile is skipped.
 */
function weighParents(dirs: readonly string[]): void {
  for (const parent of new Set(dirs.map((d) => dirname(d)))) {
    const version = ([1, 2] as const).find((v) => existsSync(join(parent, CPU_WEIGHT[v].file)));
    if (!version) continue; // A v1 hierarchy without the cpu controller, or the parent is gone.
    const file = CPU_WEIGHT[version].file;
    try {
      const children = readdirSync(parent, { withFileTypes: true }).filter((d) => d.isDirectory());
      const weights = children.map((d) => Number(readOr(join(parent, d.name, file), ''))).filter((w) => w > 0);
      writeFileSync(join(parent, file), String(parentCpuWeight(version, weights)));
    } catch (e) {
      if (!isGone(e)) throw e;
    }
  }
}

/**
 * SIGKILLs whatever is left in the cgroup and removes it. The kernel refuses
 * rmdir while a dying process is still attached, so this retries briefly.
 */
export async function removeDynoCgroup(cg: Pick<DynoCgroup, 'dirs' | 'pids'>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    killCgroup(cg);
    const left = cg.dirs.filter((d) => {
      try {
        rmdirSync(d);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code !== 'ENOENT';
      }
    });
    if (left.length === 0) {
      removeEmptyParents(cg.dirs);
      return weighParents(cg.dirs);
    }
    if (Date.now() >= deadline) throw new Error(`cgroup still busy after ${timeoutMs} ms: ${left.join(', ')}`);
    await delay(20);
  }
}

/**
 * Removes the shared parent dirs once no dyno uses them, so nothing of ours
 * outlives the last dyno inside the cgroup we were started in. Busy or
 * already gone is fine: another server's dyno lives there, or it beat us.
 */
function removeEmptyParents(dirs: readonly string[]): void {
  for (const parent of new Set(dirs.map((d) => dirname(d)))) {
    if (!parent.endsWith(`/${DYNOS_CGROUP}`)) continue;
    try {
      rmdirSync(parent);
    } catch {
      // In use (EBUSY/ENOTEMPTY) or gone (ENOENT): either way not ours to force.
    }
  }
}

/** SIGKILLs every process in the cgroup; the ones already gone are no error. */
export function killCgroup(cg: Pick<DynoCgroup, 'pids'>): void {
  for (const pid of cg.pids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
}

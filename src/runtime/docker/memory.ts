import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { dynoCgroup, type DynoCgroup } from '../local/sandbox/cgroups.js';

/**
 * The memory readings of a running container's cgroup, found from its pid 1
 * (`/proc/PID/cgroup`), for the same R14/R15 watch as sandboxed dynos. Null
 * when the host's cgroups cannot be read.
 */
export function containerMemory(pid: number): Pick<DynoCgroup, 'memoryBytes' | 'oomKills'> | null {
  let lines: string[];
  try {
    lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
  } catch {
    return null;
  }
  const v1 = lines.map((l) => l.split(':')).find((f) => f[1]?.split(',').includes('memory'));
  if (v1?.[2]) {
    const path = v1[2];
    const parent = join('/sys/fs/cgroup/memory', dirname(path));
    return dynoCgroup({ version: 1, parents: { memory: parent, cpu: parent, pids: parent } }, basename(path));
  }
  const v2 = lines.find((l) => l.startsWith('0::'))?.slice(3);
  if (!v2) return null;
  return dynoCgroup({ version: 2, parent: join('/sys/fs/cgroup', dirname(v2)) }, basename(v2));
}

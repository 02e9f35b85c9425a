import { readdirSync, readFileSync } from 'node:fs';
import type { DynoUsage } from '../types.js';

const PAGE_BYTES = 4096;
/** USER_HZ: /proc reports CPU times in these ticks on every Linux we run on. */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  ticks: number;
  rssPages: number;
}

function readStat(pid: string): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may contain spaces: state is [0], ppid [1], utime [11], stime [12], rss [21].
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid: Number(pid), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), rssPages: Number(f[21]) };
  } catch {
    return null;
  }
}

/**
 * Memory and CPU of a process and all its descendants, from /proc. The tree,
 * not the process group: a sandboxed dyno's processes start their own session.
 */
export function processTreeUsage(rootPid: number): DynoUsage | null {
  let names: string[];
  try {
    names = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const children = new Map<number, ProcStat[]>();
  let root: ProcStat | null = null;
  for (const name of names) {
    const s = readStat(name);
    if (!s) continue;
    if (s.pid === rootPid) root = s;
    const list = children.get(s.ppid) ?? [];
    list.push(s);
    children.set(s.ppid, list);
  }
  if (!root) return null;
  let ticks = 0;
  let pages = 0;
  const queue = [root];
  for (let s = queue.pop(); s; s = queue.pop()) {
    ticks += s.ticks;
    pages += s.rssPages;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return { rssBytes: pages * PAGE_BYTES, cpuSeconds: ticks / TICKS_PER_SECOND };
}

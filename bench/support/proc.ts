/** Memory of running processes, read from /proc (Linux only). */
import { readdirSync, readFileSync } from 'node:fs';

/** A `Name: N kB` field of a /proc file; 0 once the process has exited. */
function procKb(path: string, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(path, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory (KB) of one process (VmRSS), shared pages included. */
export const rssKb = (pid: number): number => procKb(`/proc/${pid}/status`, 'VmRSS');

/** Proportional set size (KB): shared pages split among the processes sharing them, so sums over processes add up. */
export const pssKb = (pid: number): number => procKb(`/proc/${pid}/smaps_rollup`, 'Pss');

/** The processes in a process group. */
export function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2] === String(pgid)) pids.push(Number(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Resident memory (KB) of every process in the process group. */
export const groupRssKb = (pgid: number): number => groupPids(pgid).reduce((kb, pid) => kb + rssKb(pid), 0);

/** CPU time (µs, user + system) a process has used, from /proc/<pid>/stat (in 10 ms clock ticks); 0 once gone. */
export function processCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

/** Processes whose parent is `ppid` and whose name is `name`. */
export const childrenNamed = (ppid: number, name: string): number[] =>
  readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.includes(`(${name})`) && stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === String(ppid);
    } catch {
      return false;
    }
  });

/** The host's load average over 1, 5 and 15 minutes. */
export const loadAverage = (): number[] => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);

/** What /proc/<pid>/stat says of a process: its name, parent, start (wall-clock ms) and CPU used (ms). */
export interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** When the process was created (exec keeps it), in wall-clock ms; 10 ms resolution. */
  startedMs: number;
  /** User + system CPU of the process itself. */
  cpuMs: number;
  /** User + system CPU of its children that ended and were waited for. */
  reapedCpuMs: number;
}

const TICK_MS = 10;
/** The boot time in wall-clock ms, to 10 ms (btime in /proc/stat is whole seconds; start times are ticks after boot). */
const bootMs = (): number => Date.now() - Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1000;

/** The stat of one process; null once it has exited. */
export function procStat(pid: number, boot = bootMs()): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // Fields from state (3) on: ppid is 4, utime..cstime 14-17, starttime 22 (proc(5)).
    return {
      pid, comm, ppid: f[1] as number, startedMs: boot + (f[19] as number) * TICK_MS,
      cpuMs: ((f[11] as number) + (f[12] as number)) * TICK_MS, reapedCpuMs: ((f[13] as number) + (f[14] as number)) * TICK_MS,
    };
  } catch {
    return null;
  }
}

/** `pid` and every process below it (parent links, so processes that left the group or session count too). */
export function processTree(pid: number): ProcStat[] {
  const boot = bootMs();
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => procStat(Number(d), boot)).filter((s) => s !== null);
  const tree = all.filter((s) => s.pid === pid);
  for (let i = 0; i < tree.length; i++) tree.push(...all.filter((s) => s.ppid === (tree[i] as ProcStat).pid));
  return tree;
}

import type { DynoSize } from '../config/index.js';
import type { Controller } from './cgroup-layout.js';

/** What one dyno may use, derived from its size. */
export interface DynoLimits {
  /** The quota: above it R14 is logged. */
  quotaBytes: number;
  /** The hard ceiling: the kernel OOM-kills at it (R15). */
  hardBytes: number;
  cpuShares: number;
  /** Cores at most; 0 = no cap. */
  cpuQuota: number;
  pidsMax: number;
}

const MB = 1024 * 1024;
export const CPU_PERIOD_US = 100_000;

export function limitsFor(size: DynoSize): DynoLimits {
  return {
    quotaBytes: size.memoryMb * MB,
    hardBytes: Math.round(size.memoryMb * size.hardLimitFactor * MB),
    cpuShares: size.cpuShares,
    cpuQuota: size.cpuQuota,
    pidsMax: size.pidsLimit,
  };
}

/** One control file to write, in order. */
export interface CgroupSetting {
  /** v1: the controller hierarchy it lives in; v2: always `unified`. */
  where: Controller | 'unified';
  file: string;
  value: string;
  /** Skipped when the kernel lacks the file (swap accounting is optional). */
  optional?: boolean;
}

/** cgroup v1 settings; memsw must follow the memory limit (it may never be below it). */
export function v1Settings(l: DynoLimits): CgroupSetting[] {
  return [
    { where: 'memory', file: 'memory.limit_in_bytes', value: String(l.hardBytes) },
    { where: 'memory', file: 'memory.memsw.limit_in_bytes', value: String(l.hardBytes), optional: true },
    { where: 'cpu', file: 'cpu.shares', value: String(l.cpuShares) },
    { where: 'cpu', file: 'cpu.cfs_period_us', value: String(CPU_PERIOD_US) },
    { where: 'cpu', file: 'cpu.cfs_quota_us', value: l.cpuQuota > 0 ? String(Math.round(l.cpuQuota * CPU_PERIOD_US)) : '-1' },
    { where: 'pids', file: 'pids.max', value: String(l.pidsMax) },
  ];
}

/** The v1 shares → v2 weight conversion the OCI runtimes use (2..262144 onto 1..10000). */
export function sharesToWeight(shares: number): number {
  const clamped = Math.min(Math.max(shares, 2), 262_144);
  return 1 + Math.floor(((clamped - 2) * 9999) / 262_142);
}

export function v2Settings(l: DynoLimits): CgroupSetting[] {
  return [
    { where: 'unified', file: 'memory.max', value: String(l.hardBytes) },
    { where: 'unified', file: 'memory.swap.max', value: '0', optional: true },
    { where: 'unified', file: 'cpu.weight', value: String(sharesToWeight(l.cpuShares)) },
    { where: 'unified', file: 'cpu.max', value: `${l.cpuQuota > 0 ? Math.round(l.cpuQuota * CPU_PERIOD_US) : 'max'} ${CPU_PERIOD_US}` },
    { where: 'unified', file: 'pids.max', value: String(l.pidsMax) },
  ];
}

/** The CPU weight file of each cgroup version, and the weight of a group nobody set (one ordinary process's). */
export const CPU_WEIGHT = { 1: { file: 'cpu.shares', unset: 1024, min: 2, max: 262_144 }, 2: { file: 'cpu.weight', unset: 100, min: 1, max: 10_000 } } as const;

/**
 * The CPU weight of the directory holding the dyno cgroups: the sum of its
 * children's. The kernel weighs a group against its siblings by the group's
 * own weight, so left at the default every dyno and build on the host would
 * together weigh as much as one ordinary process, and a busy host would
 * starve them (issue 17: ten dynos starting at a host load of 7 got an eighth
 * of the CPU). With the sum, each competes with the host's processes by its
 * own size's weight, as a plain process would.
 */
export function parentCpuWeight(version: 1 | 2, children: readonly number[]): number {
  const w = CPU_WEIGHT[version];
  if (!children.length) return w.unset;
  return Math.min(Math.max(children.reduce((a, b) => a + b, 0), w.min), w.max);
}

/** A `key value` line's value from memory.stat, memory.events or memory.oom_control text. */
export function statValue(text: string, key: string): number | null {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

/**
 * Memory the dyno really holds: usage minus reclaimable file cache (what the
 * kernel would give back before OOM-killing).
 */
export function workingSetBytes(version: 1 | 2, usage: number, stat: string): number {
  const inactive = statValue(stat, version === 1 ? 'total_inactive_file' : 'inactive_file') ?? 0;
  return Math.max(0, usage - inactive);
}

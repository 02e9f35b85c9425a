import { invalid } from '../shared/errors.js';

/**
 * Dyno sizes, after Heroku's Common Runtime table. `cpuShares` is relative CPU
 * weight; `cpuQuota` the number of cores a dyno may use at most (0 = no cap).
 */
export interface DynoSize {
  name: string;
  memoryMb: number;
  /** Multiple of the quota at which a dyno is killed (R15). */
  hardLimitFactor: number;
  cpuShares: number;
  cpuQuota: number;
  pidsLimit: number;
}

/** What a dyno runs as unless told otherwise (Heroku's default). */
export const DEFAULT_DYNO_SIZE = 'standard-1x';

export const DYNO_SIZES: readonly DynoSize[] = Object.freeze([
  { name: 'eco', memoryMb: 512, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 },
  { name: 'basic', memoryMb: 512, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 },
  { name: 'standard-1x', memoryMb: 512, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 },
  { name: 'standard-2x', memoryMb: 1024, hardLimitFactor: 2, cpuShares: 2048, cpuQuota: 2, pidsLimit: 512 },
  { name: 'performance-m', memoryMb: 2560, hardLimitFactor: 2, cpuShares: 12288, cpuQuota: 0, pidsLimit: 16384 },
  { name: 'performance-l', memoryMb: 14336, hardLimitFactor: 2, cpuShares: 51200, cpuQuota: 0, pidsLimit: 32768 },
]);

/** A dyno size name from the table (case-insensitive), or a 422 naming the sizes there are. */
export function resolveDynoSize(size: string): string {
  return dynoSize(size.trim().toLowerCase()).name;
}

/** The size of that name (names are checked where users give them: an unknown one here is a 422 all the same). */
export function dynoSize(name: string): DynoSize {
  const size = DYNO_SIZES.find((s) => s.name === name);
  if (!size) throw invalid(`Unknown dyno size "${name}". Use one of: ${DYNO_SIZES.map((s) => s.name).join(', ')}.`);
  return size;
}

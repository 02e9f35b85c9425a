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

export const DYNO_SIZES: readonly DynoSize[] = Object.freeze([
  { name: 'eco', memoryMb: 512, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 },
  { name: 'basic', memoryMb: 512, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 },
  { name: 'standard-1x', memoryMb: 512, hardLimitFactor: 2, cpuShares: 1024, cpuQuota: 1, pidsLimit: 256 },
  { name: 'standard-2x', memoryMb: 1024, hardLimitFactor: 2, cpuShares: 2048, cpuQuota: 2, pidsLimit: 512 },
  { name: 'performance-m', memoryMb: 2560, hardLimitFactor: 2, cpuShares: 12288, cpuQuota: 0, pidsLimit: 16384 },
  { name: 'performance-l', memoryMb: 14336, hardLimitFactor: 2, cpuShares: 51200, cpuQuota: 0, pidsLimit: 32768 },
]);

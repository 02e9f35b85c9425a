import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import type { DynoSpec, ObservedDyno } from '../types.js';
import { removeTree } from '../../shared/tree.js';
import { processStartTime } from '../../shared/proc-stat.js';
import { terminateGroup } from './process-group.js';

const RECORD = 'dyno.json';
/** Written by the dyno's shell as it exits (see dynoShellArgv). */
export const STATUS_FILE = 'exit-status';

/** What a later server needs to adopt a dyno, written once it is launched. Config var values stay out of it. */
export interface DynoRecord {
  dynoId: string;
  appId: string;
  name: string;
  pid: number;
  /** Guards against killing an unrelated process that reused the pid. */
  startTime: string | null;
  /** The spec without its env (read back from the process) nor an attached client. */
  spec?: Omit<DynoSpec, 'env' | 'oneOff'> & { oneOff?: Record<string, never> };
  /** The names of the spec's env vars. */
  envKeys?: string[];
  attached?: boolean;
  observed?: Pick<ObservedDyno, 'host' | 'port' | 'isolation'>;
}

/** Writes the pid and spec of a launched dyno into its scratch dir, so a later server can find it. */
export function writeDynoRecord(scratchDir: string, spec: DynoSpec, pid: number, observed: DynoRecord['observed']): void {
  const { env, oneOff, ...rest } = spec;
  const record: DynoRecord = {
    dynoId: spec.dynoId, appId: spec.appId, name: spec.name, pid, startTime: processStartTime(pid),
    spec: { ...rest, ...(oneOff ? { oneOff: {} } : {}) }, envKeys: Object.keys(env), attached: Boolean(oneOff?.attachment), observed,
  };
  writeFileSync(join(scratchDir, RECORD), JSON.stringify(record) + '\n', { mode: 0o600 });
}

export function readRecord(dir: string): DynoRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as DynoRecord;
  } catch {
    return null;
  }
}

/** Whether the recorded process still runs: same pid and kernel start time (pids get reused). */
export function recordedProcessRuns(r: DynoRecord): boolean {
  return r.startTime !== null && processStartTime(r.pid) === r.startTime;
}

/** The values of `keys` in the environment the process was started with, or null when unreadable. */
export function processEnv(pid: number, keys: readonly string[]): Record<string, string> | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return null;
  }
  const all = new Map(text.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
  return Object.fromEntries(keys.flatMap((k) => (all.has(k) ? [[k, all.get(k) as string]] : [])));
}

/** The exit status the dyno's wrapper wrote, or null (the wrapper itself was killed by SIGKILL: see design/023). */
export function recordedExitStatus(dir: string): number | null {
  try {
    const text = readFileSync(join(dir, STATUS_FILE), 'utf8').trim();
    return /^\d{1,3}$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/** A dyno a previous server left running that this one can take over. */
export interface AdoptableDyno {
  dir: string;
  record: DynoRecord & Required<Pick<DynoRecord, 'spec' | 'observed'>>;
  spec: DynoSpec;
}

/**
 * The dynos of a previous server on this home that still run and can be
 * adopted: the same process as recorded, a full record, its env readable, and
 * no attached client (that client was connected to the previous server).
 */
export function adoptableDynos(dynosDir: string, skip: ReadonlySet<string>): AdoptableDyno[] {
  if (!existsSync(dynosDir)) return [];
  return readdirSync(dynosDir).flatMap((id) => {
    const dir = join(dynosDir, id);
    const r = skip.has(id) ? null : readRecord(dir);
    if (!r?.spec || !r.observed || !r.envKeys || r.attached || r.spec.dynoId !== id || !recordedProcessRuns(r)) return [];
    const env = processEnv(r.pid, r.envKeys);
    if (!env) return [];
    return [{ dir, record: { ...r, spec: r.spec, observed: r.observed }, spec: { ...r.spec, env } as DynoSpec }];
  });
}

/**
 * Stops dynos that a previous server process on this home left running (it
 * was killed, or crashed) and deletes their scratch dirs. A process is only
 * signalled when its pid and kernel start time both match the record.
 */
export async function reapOrphans(
  dynosDir: string,
  graceMs: number,
  logger: Logger,
  /** Ids of dynos this server runs already. */
  skip: ReadonlySet<string>,
): Promise<number> {
  if (!existsSync(dynosDir)) return 0;
  const dirs = readdirSync(dynosDir)
    .filter((d) => !skip.has(d))
    .map((d) => join(dynosDir, d));
  let reaped = 0;
  await Promise.all(
    dirs.map(async (dir) => {
      const r = readRecord(dir);
      if (r && recordedProcessRuns(r)) {
        logger.info('stopping dyno left by a previous server', { app: r.appId, dyno: r.name, pid: r.pid });
        await terminateGroup(r.pid, graceMs);
        reaped++;
      }
      await removeTree(dir);
    }),
  );
  return reaped;
}

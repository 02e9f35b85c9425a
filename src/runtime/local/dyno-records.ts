import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger.js';
import { removeTree } from './files.js';
import { processStartTime, terminateGroup } from './process-group.js';

const RECORD = 'dyno.json';

interface DynoRecord {
  dynoId: string;
  appId: string;
  name: string;
  pid: number;
  /** Guards against killing an unrelated process that reused the pid. */
  startTime: string | null;
}

/** Writes the pid of a launched dyno into its scratch dir, so a later server can find it. */
export function writeDynoRecord(scratchDir: string, r: Omit<DynoRecord, 'startTime'>): void {
  const record: DynoRecord = { ...r, startTime: processStartTime(r.pid) };
  writeFileSync(join(scratchDir, RECORD), JSON.stringify(record) + '\n', { mode: 0o600 });
}

function readRecord(dir: string): DynoRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as DynoRecord;
  } catch {
    return null;
  }
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
      if (r && r.startTime !== null && processStartTime(r.pid) === r.startTime) {
        logger.info('stopping dyno left by a previous server', { app: r.appId, dyno: r.name, pid: r.pid });
        await terminateGroup(r.pid, graceMs);
        reaped++;
      }
      await removeTree(dir);
    }),
  );
  return reaped;
}

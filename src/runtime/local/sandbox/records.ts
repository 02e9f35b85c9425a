import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../../shared/logger.js';
import { DYNOS_CGROUP, pidsIn, removeDynoCgroup } from '../../../sandbox/index.js';
import { removeDynoNetwork } from './network.js';

const RECORD = 'sandbox.json';

/** What a sandboxed dyno holds outside its scratch dir, written before it starts. */
export interface SandboxRecord {
  cgroupDirs: string[];
  network: { netns: string; hostInterface: string } | null;
}

export function writeSandboxRecord(scratchDir: string, r: SandboxRecord): void {
  writeFileSync(join(scratchDir, RECORD), JSON.stringify(r) + '\n', { mode: 0o600 });
}

/** The record in a dyno's scratch dir, or null (a plain dyno has none). */
export function readSandboxRecord(dir: string): SandboxRecord | null {
  try {
    return JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as SandboxRecord;
  } catch {
    return null;
  }
}

/** Releases the cgroup (killing what is left in it) and network of one recorded dyno. */
export async function releaseRecorded(r: SandboxRecord): Promise<void> {
  // Only ever our own dyno cgroups, whatever the record says.
  const dirs = r.cgroupDirs.filter((d) => d.startsWith('/sys/fs/cgroup/') && d.includes(`/${DYNOS_CGROUP}/`));
  await removeDynoCgroup({ dirs, pids: () => pidsIn(dirs) });
  if (r.network) await removeDynoNetwork(r.network);
}

/**
 * Releases what sandboxed dynos of a previous server on this home left behind
 * (it was killed): their processes die with their cgroup, then the cgroup and
 * network namespace go. Dyno dirs themselves are the driver's to delete.
 */
export async function releaseLeftovers(dynosDir: string, skip: ReadonlySet<string>, logger: Logger): Promise<void> {
  if (!existsSync(dynosDir)) return;
  for (const id of readdirSync(dynosDir)) {
    const r = skip.has(id) ? null : readSandboxRecord(join(dynosDir, id));
    if (!r) continue;
    logger.info('releasing the sandbox of a dyno left by a previous server', { dynoId: id, netns: r.network?.netns ?? null });
    await releaseRecorded(r);
  }
}

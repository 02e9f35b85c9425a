import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILES } from './config.js';
import type { SlotSnapshot } from './slots.js';

/**
 * What a server saves next to the HAProxy it runs, so that after a crash
 * (kill -9) the next server can adopt that process instead of starting a
 * second one: the ports the config was rendered with and the slot table as
 * last pushed (which backend serves which app, which seat which dyno).
 */
export interface SavedPlane {
  port: number;
  tlsPort: number | null;
  logPort: number;
  slots: SlotSnapshot;
}

export function readSaved(dir: string): SavedPlane | null {
  try {
    const s = JSON.parse(readFileSync(join(dir, FILES.state), 'utf8')) as SavedPlane;
    return Number.isInteger(s.port) && Number.isInteger(s.logPort) && Array.isArray(s.slots?.slots) ? s : null;
  } catch {
    return null;
  }
}

/** Written whole then renamed, so a crash mid-write leaves the previous state, never half of one. */
export function writeSaved(dir: string, s: SavedPlane): void {
  const tmp = join(dir, `${FILES.state}.tmp`);
  writeFileSync(tmp, JSON.stringify(s), { mode: 0o600 });
  renameSync(tmp, join(dir, FILES.state));
}

export function readConfig(dir: string): string | null {
  try {
    return readFileSync(join(dir, FILES.config), 'utf8');
  } catch {
    return null;
  }
}

/** `show map <file>` answers `<ref> <key> <value>` per line: key → value. */
export function parseShowMap(answer: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of answer.split('\n')) {
    const [, key, value] = line.trim().split(/\s+/);
    if (key && value) entries.set(key, value);
  }
  return entries;
}

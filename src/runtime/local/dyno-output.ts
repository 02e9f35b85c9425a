import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeFileSync, constants } from 'node:fs';
import { join } from 'node:path';
import { splitLines } from '../../shared/lines.js';

/**
 * A dyno's stdout and stderr go to one file in its scratch dir instead of a
 * pipe to the server (design/023): the dyno never depends on the server
 * process, and a later server picks up where the previous one stopped reading.
 */
const OUTPUT = 'output.log';
/** How far the server has read `output.log`, so a later server neither repeats nor skips lines. */
const OFFSET = 'output.offset';
/** Once read up to here, the file is emptied (O_APPEND writers then continue at its new end). */
const TRUNCATE_AT = 1024 * 1024;
/** Unread output beyond this (written while no server ran) is dropped, oldest first. */
const BACKLOG_MAX = 1024 * 1024;
/** A line longer than this is delivered in pieces: a follower's memory stays bounded. */
const LINE_MAX = 64 * 1024;
const CHUNK = 64 * 1024;
const INTERVAL_MS = 100;
/**
 * One read buffer for every follower (issue 17: 64 KB per dyno otherwise): reads are synchronous
 * and each chunk is decoded into a string before anything else runs, so no follower sees another's bytes.
 */
let sharedChunk: Buffer | undefined;

/** Opens the dyno's output file for its processes: append-only, so the server can truncate it under them. */
export function openOutputFile(scratchDir: string): number {
  return openSync(join(scratchDir, OUTPUT), constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600);
}

function readOffset(scratchDir: string): number {
  try {
    const n = Number(readFileSync(join(scratchDir, OFFSET), 'utf8'));
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

export interface OutputFollower {
  /** Reads what is left, delivers the last partial line, and stops following. */
  stop(): void;
}

export interface FollowHandlers {
  onLine(line: string): void;
  /** Called once with the byte count when the backlog was over its bound. */
  onDropped(bytes: number): void;
  /** A read failed: following goes on at the next tick. */
  onError(e: unknown): void;
}

/**
 * Follows a dyno's output file from where the last follower stopped, calling
 * `onLine` for each line. Polls: a dyno may write through any fd it inherited.
 */
export function followOutput(scratchDir: string, { onLine, onDropped, onError }: FollowHandlers): OutputFollower {
  const fd = openSync(join(scratchDir, OUTPUT), constants.O_RDWR | constants.O_CREAT, 0o600);
  let offset = readOffset(scratchDir);
  let saved = offset;
  const buf = (sharedChunk ??= Buffer.allocUnsafeSlow(CHUNK));
  const lines = splitLines(onLine, LINE_MAX);
  const size = fstatSync(fd).size;
  if (offset > size) offset = 0;
  if (size - offset > BACKLOG_MAX) {
    onDropped(size - BACKLOG_MAX - offset);
    offset = size - BACKLOG_MAX;
  }
  const poll = () => {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, offset);
      if (n === 0) break;
      offset += n;
      lines.write(buf.subarray(0, n));
    }
    // Between the read and the truncation a write can land and be lost: the bound makes this rare (design/023).
    if (offset >= TRUNCATE_AT) {
      ftruncateSync(fd, 0);
      offset = 0;
    }
    if (offset !== saved) {
      writeFileSync(join(scratchDir, OFFSET), String(offset));
      saved = offset;
    }
  };
  const tick = () => {
    try {
      poll();
    } catch (e) {
      onError(e);
    }
  };
  const timer = setInterval(tick, INTERVAL_MS);
  timer.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      tick();
      lines.end();
      closeSync(fd);
    },
  };
}

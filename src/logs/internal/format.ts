import { isoTime } from '../../shared/time.js';
import type { LogEntry } from '../types.js';

/**
 * Heroku's RFC 5424 timestamp with microseconds and an explicit UTC offset:
 * `2026-11-22T01:02:03.456789+00:00` (isoTime's form without its `Z`, then the microseconds).
 */
export function formatTimestamp(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.floor((epochMs - whole) * 1000);
  return `${isoTime(whole).slice(0, -1)}${String(micros).padStart(3, '0')}+00:00`;
}

/** One line as `heroku logs` prints it: `TIMESTAMP SOURCE[PROCESS]: MESSAGE`. */
export function formatEntry(e: Pick<LogEntry, 'epochMs' | 'source' | 'process' | 'message'>): string {
  return `${formatTimestamp(e.epochMs)} ${e.source}[${e.process}]: ${e.message}`;
}

/** Splits a message into chunks of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitMessage(message: string, maxBytes: number): string[] {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= maxBytes) return [message];
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    // Back off to a character boundary: continuation bytes are 10xxxxxx.
    while (end < bytes.length && end > start && ((bytes[end] as number) & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return parts;
}

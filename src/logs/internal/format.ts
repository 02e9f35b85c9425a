import type { LogEntry } from '../types.js';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Heroku's RFC 5424 timestamp with microseconds and an explicit UTC offset:
 * `2026-11-22T01:02:03.456789+00:00`.
 */
export function formatTimestamp(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const micros = Math.floor((epochMs - whole) * 1000);
  const d = new Date(whole);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return `${date}T${time}.${pad(d.getUTCMilliseconds(), 3)}${pad(micros, 3)}+00:00`;
}

/** One line as `heroku logs` prints it: `TIMESTAMP SOURCE[PROCESS]: MESSAGE`. */
export function formatEntry(e: Pick<LogEntry, 'epochMs' | 'source' | 'process' | 'message'>): string {
  return `${formatTimestamp(e.epochMs)} ${e.source}[${e.process}]: ${e.message}`;
}

/** Splits a message into chunks of at most `maxBytes` UTF-8 bytes, never inside a character. */
export function splitMessage(message: string, maxBytes: number): string[] {
  // UTF-8 needs at most 3 bytes per UTF-16 unit: most lines (every router line) skip the byte copy.
  if (message.length * 3 <= maxBytes) return [message];
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

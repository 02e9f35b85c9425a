import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The longest line the log bus keeps whole (Heroku's 10 000): a dyno's output is cut to it before it can pile up. */
export const LOG_LINE_MAX = 10_000;

export interface LineSplitter {
  /** More output: bytes (UTF-8, a character split across two chunks included) or text. */
  write(chunk: Uint8Array | string): void;
  /** The output ended: what is left after the last newline comes out as a last line. */
  end(): void;
  /** Whether a line has begun and not ended yet. */
  readonly midLine: boolean;
}

/**
 * Output that arrives in chunks (a process's, a pod's, a build's, a log
 * stream's), as lines: `\n` ends a line and a `\r` before it is dropped (CRLF
 * output); empty lines are kept. A line longer than `maxLine` characters comes
 * out in pieces, so output without newlines cannot hold memory without bound.
 */
export function splitLines(onLine: (line: string) => void, maxLine = Number.POSITIVE_INFINITY): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (line: string) => {
    for (let at = 0; at < line.length || at === 0; at += maxLine) onLine(line.slice(at, at + maxLine));
  };
  const deliver = (text: string) => {
    const parts = (pending + text).split('\n');
    pending = parts.pop() ?? '';
    for (const part of parts) emit(part.endsWith('\r') ? part.slice(0, -1) : part);
    while (pending.length > maxLine) {
      onLine(pending.slice(0, maxLine));
      pending = pending.slice(maxLine);
    }
  };
  return {
    write: (chunk) => deliver(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
    end() {
      deliver(decoder.end());
      if (pending) onLine(pending);
      pending = '';
    },
    get midLine() {
      return pending.length > 0;
    },
  };
}

/** Calls `onLine` for each line of a stream of output, cut to `maxLine` (see splitLines). */
export function forEachLine(stream: Readable | null, onLine: (line: string) => void, maxLine = LOG_LINE_MAX): void {
  if (!stream) return;
  const lines = splitLines(onLine, maxLine);
  stream.on('data', (chunk: Uint8Array | string) => lines.write(chunk));
  stream.on('end', () => lines.end());
}

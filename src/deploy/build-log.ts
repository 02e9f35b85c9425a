import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { splitLines } from '../shared/lines.js';

/**
 * One build's output: appended to a file under $CUPAAS_HOME as it is
 * produced (so it survives the build and the server), passed on line by
 * line, and readable live. Writes are synchronous, so a reader that copies
 * the file and then subscribes misses nothing.
 */
export interface BuildLog {
  /** Appends buildpack output (any chunking); drops it past the size limit. */
  write(chunk: string): void;
  /** Appends one line of the platform's own (never limited, so the verdict always shows). */
  say(line: string): void;
  /** Flushes a trailing partial line and closes the file. */
  close(): void;
  /** The output so far, then every later chunk, until `close`. Returns an unsubscribe. */
  follow(onChunk: (chunk: string) => void, onEnd: () => void): () => void;
}

export interface BuildLogOptions {
  path: string;
  maxBytes: number;
  /** Called once when the output passes `maxBytes`. */
  onLimit(): void;
  onLine?: (line: string) => void;
}

export function openBuildLog(opts: BuildLogOptions): BuildLog {
  mkdirSync(dirname(opts.path), { recursive: true, mode: 0o700 });
  const fd = openSync(opts.path, 'a', 0o600);
  const followers = new Set<{ onChunk(c: string): void; onEnd(): void }>();
  let bytes = 0;
  const lines = splitLines((line) => opts.onLine?.(line));
  let closed = false;
  let limited = false;

  const append = (text: string) => {
    writeSync(fd, text);
    for (const f of followers) f.onChunk(text);
    lines.write(text);
  };

  return {
    write(chunk) {
      if (closed || limited) return;
      const size = Buffer.byteLength(chunk);
      if (bytes + size > opts.maxBytes) {
        limited = true;
        append(`${lines.midLine ? '\n' : ''} !     Build output passed the limit of ${opts.maxBytes} bytes (CUPAAS_BUILD_MAX_OUTPUT); the build was stopped.\n`);
        opts.onLimit();
        return;
      }
      bytes += size;
      append(chunk);
    },
    say(line) {
      if (closed) return;
      append(`${lines.midLine ? '\n' : ''}${line}\n`);
    },
    close() {
      if (closed) return;
      if (lines.midLine) append('\n');
      closed = true;
      closeSync(fd);
      for (const f of followers) f.onEnd();
      followers.clear();
    },
    follow(onChunk, onEnd) {
      const sofar = existsSync(opts.path) ? readFileSync(opts.path, 'utf8') : '';
      if (sofar) onChunk(sofar);
      if (closed) {
        onEnd();
        return () => {};
      }
      const f = { onChunk, onEnd };
      followers.add(f);
      return () => followers.delete(f);
    },
  };
}

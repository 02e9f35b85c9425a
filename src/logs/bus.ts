import type { LogLine, LogSink } from '../domain/index.js';
import { matches } from './internal/filter.js';
import { splitMessage } from './internal/format.js';
import { LogHistory } from './internal/history.js';
import { createTail, type TailSession } from './internal/tail.js';
import type { LogEntry, LogFilter } from './types.js';

export interface LogBusOptions {
  /** Lines kept per app (Logplex keeps 1500). */
  historyLines?: number;
  /** Message bytes kept per app; past it the oldest lines go even under `historyLines` (default: 256 per line). */
  historyBytes?: number;
  /** Dyno lines longer than this many bytes are split (Logplex: 10000). */
  maxLineBytes?: number;
  /** Lines a live tail may hold before it drops and reports L11. */
  tailBuffer?: number;
  /** Wall clock in ms with a fractional part; injectable for tests. */
  now?: () => number;
}

export interface LogBus extends LogSink {
  /** The last `lines` lines of an app that pass the filter, oldest first. */
  recent(appId: string, lines: number, filter?: LogFilter): LogEntry[];
  /** A live reader of lines written from now on. */
  tail(appId: string, filter?: LogFilter): TailSession;
  /** Drops an app's history and ends its tails (app destroyed). */
  forget(appId: string): void;
  /**
   * Calls `listener` with every line of an app as it is written (drains). It
   * runs on the writer's path, so it must only enqueue. Returns the unsubscribe.
   */
  subscribe(appId: string, listener: (entry: LogEntry) => void): () => void;
}

export type { TailSession };

/**
 * Microsecond-resolution wall clock, so lines written in the same millisecond keep their order.
 * From `process.hrtime`, not `performance`: the `performance` global loads perf_hooks and its
 * modules (~0.4 MB resident) for the life of the server (issue 17).
 */
const hrtimeMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const origin = Date.now() - hrtimeMs();
const preciseNow = (): number => origin + hrtimeMs();

/**
 * The platform's log router: every subsystem writes here; it keeps a bounded
 * history per app and fans lines out to live tails. It is not a store: lines
 * older than the ring are gone, as with Logplex.
 */
export function createLogBus(opts: LogBusOptions = {}): LogBus {
  const historyLines = opts.historyLines ?? 1500;
  const maxLineBytes = opts.maxLineBytes ?? 10_000;
  const tailBuffer = opts.tailBuffer ?? 1000;
  const now = opts.now ?? preciseNow;
  // Always room for the longest line: a UTF-8 split leaves at most `maxLineBytes` bytes.
  const historyBytes = Math.max(opts.historyBytes ?? historyLines * 256, maxLineBytes);
  const history = new Map<string, LogHistory>();
  const tails = new Map<string, Set<TailSession>>();
  const listeners = new Map<string, Set<(entry: LogEntry) => void>>();
  let seq = 0;

  /** Keeps the line as bytes; builds an entry object only for live readers, if any. */
  const append = (appId: string, epochMs: number, line: LogLine, message: string) => {
    let ring = history.get(appId);
    if (!ring) history.set(appId, (ring = new LogHistory(appId, historyLines, historyBytes)));
    const lineSeq = ++seq;
    ring.push(lineSeq, epochMs, line.source, line.process, message);
    const readers = tails.get(appId);
    const drains = listeners.get(appId);
    if (!readers && !drains) return;
    const entry: LogEntry = { seq: lineSeq, appId, epochMs, source: line.source, process: line.process, message };
    for (const t of readers ?? []) if (matches(entry, t.filter)) t.offer(entry);
    for (const l of drains ?? []) l(entry);
  };

  return {
    write(appId: string, line: LogLine): void {
      const epochMs = line.time ? line.time.getTime() : now();
      // UTF-8 needs at most 3 bytes per UTF-16 unit: most lines (every router line) fit without measuring.
      if (line.message.length * 3 <= maxLineBytes) append(appId, epochMs, line, line.message);
      else for (const message of splitMessage(line.message, maxLineBytes)) append(appId, epochMs, line, message);
    },
    recent(appId, lines, filter = {}) {
      return lines <= 0 ? [] : history.get(appId)?.recent(lines, filter) ?? [];
    },
    tail(appId, filter = {}) {
      let set = tails.get(appId);
      if (!set) tails.set(appId, (set = new Set()));
      const session: TailSession = createTail(appId, filter, tailBuffer, () => {
        set.delete(session);
        if (!set.size && tails.get(appId) === set) tails.delete(appId);
      });
      set.add(session);
      return session;
    },
    subscribe(appId, listener) {
      let set = listeners.get(appId);
      if (!set) listeners.set(appId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (!set.size && listeners.get(appId) === set) listeners.delete(appId);
      };
    },
    forget(appId) {
      history.delete(appId);
      for (const t of [...(tails.get(appId) ?? [])]) t.close();
    },
  };
}

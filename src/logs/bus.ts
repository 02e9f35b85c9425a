import type { LogLine, LogSink } from '../domain/index.js';
import { matches } from './internal/filter.js';
import { splitMessage } from './internal/format.js';
import { Ring } from './internal/ring.js';
import { createTail, type TailSession } from './internal/tail.js';
import type { LogEntry, LogFilter } from './types.js';

export interface LogBusOptions {
  /** Lines kept per app (Logplex keeps 1500). */
  historyLines?: number;
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

/** Microsecond-resolution wall clock, so lines written in the same millisecond keep their order. */
const preciseNow = (): number => performance.timeOrigin + performance.now();

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
  const history = new Map<string, Ring<LogEntry>>();
  const tails = new Map<string, Set<TailSession>>();
  const listeners = new Map<string, Set<(entry: LogEntry) => void>>();
  let seq = 0;

  const append = (appId: string, entry: LogEntry) => {
    let ring = history.get(appId);
    if (!ring) history.set(appId, (ring = new Ring(historyLines)));
    ring.push(entry);
    for (const t of tails.get(appId) ?? []) if (matches(entry, t.filter)) t.offer(entry);
    for (const l of listeners.get(appId) ?? []) l(entry);
  };

  return {
    write(appId: string, line: LogLine): void {
      const epochMs = line.time ? line.time.getTime() : now();
      for (const message of splitMessage(line.message, maxLineBytes)) {
        append(appId, { seq: ++seq, appId, epochMs, source: line.source, process: line.process, message });
      }
    },
    recent(appId, lines, filter = {}) {
      const all = history.get(appId)?.toArray() ?? [];
      const picked = all.filter((e) => matches(e, filter));
      return lines <= 0 ? [] : picked.slice(-lines);
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

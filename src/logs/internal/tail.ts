import type { LogEntry, LogFilter } from '../types.js';
import { formatTimestamp } from './format.js';

/** A live reader of one app's log lines. Iterate it; `close()` ends the iteration. */
export interface TailSession extends AsyncIterable<LogEntry> {
  readonly appId: string;
  readonly filter: LogFilter;
  /** Lines dropped since the reader last caught up. */
  readonly dropped: number;
  offer(entry: LogEntry): void;
  close(): void;
}

/**
 * A tail with a bounded buffer: when the reader falls behind, new lines are
 * dropped and counted, and the reader is told with an L11 line once it
 * catches up (as Logplex does), instead of the platform growing without bound.
 */
export function createTail(appId: string, filter: LogFilter, maxBuffered: number, onClose: () => void): TailSession {
  const queue: LogEntry[] = [];
  let dropped = 0;
  let droppedSince = 0;
  let lastDroppedSeq = 0;
  let closed = false;
  let waiting: ((r: IteratorResult<LogEntry>) => void) | null = null;

  const overflowNotice = (): LogEntry => {
    const notice: LogEntry = {
      seq: lastDroppedSeq,
      appId,
      epochMs: Date.now(),
      source: 'heroku',
      process: 'logplex',
      message: `Error L11 (Tail buffer overflow) -> This tail session dropped ${dropped} messages since ${formatTimestamp(droppedSince)}.`,
    };
    dropped = 0;
    return notice;
  };

  const take = (): LogEntry | undefined => {
    if (dropped > 0 && queue.length === 0) return overflowNotice();
    return queue.shift();
  };

  const close = () => {
    if (closed) return;
    closed = true;
    onClose();
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };

  return {
    appId,
    filter,
    get dropped() {
      return dropped;
    },
    offer(entry) {
      if (closed) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value: entry, done: false });
        return;
      }
      if (queue.length >= maxBuffered) {
        if (dropped === 0) droppedSince = entry.epochMs;
        dropped++;
        lastDroppedSeq = entry.seq;
        return;
      }
      // The notice goes where the gap is, before the first line after it.
      if (dropped > 0) queue.push(overflowNotice());
      queue.push(entry);
    },
    close,
    [Symbol.asyncIterator]() {
      return {
        next: (): Promise<IteratorResult<LogEntry>> => {
          const entry = take();
          if (entry) return Promise.resolve({ value: entry, done: false });
          if (closed) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => (waiting = resolve));
        },
        return: (): Promise<IteratorResult<LogEntry>> => {
          close();
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
}

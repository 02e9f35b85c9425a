import { errorMessage } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { formatTimestamp } from '../internal/format.js';
import { DrainBuffer } from './internal/buffer.js';
import type { DrainMessage, LogDrain } from './types.js';

export interface DrainOutletOptions {
  logger: Logger;
  /** Lines held while the collector is slow or away (Logplex: 1024). */
  capacity?: number;
  /** A batch stops growing past about this many bytes (Logplex: about 100 KB). */
  maxBatchBytes?: number;
  /** How long the first line of a burst waits for company before a batch goes out. */
  flushIntervalMs?: number;
  /** How long `close()` keeps delivering what is buffered before dropping it. */
  closeTimeoutMs?: number;
  now?: () => number;
  /** Told of each L10 notice as it enters the drain's stream, so the app's log can show it too. */
  onOverflow?: (notice: DrainMessage) => void;
}

/** The front of a drain every line goes through: never blocks the writer. */
export interface DrainOutlet {
  /** Queues a line; when the buffer is full the oldest line is dropped. */
  offer(m: DrainMessage): void;
  /** Stops taking lines, delivers what is buffered within the close timeout, drops the rest, closes the drain. */
  close(): Promise<void>;
}

/** Frame overhead per line (priority, timestamp, token, names), for sizing batches without formatting twice. */
const FRAME_OVERHEAD = 120;

/**
 * Puts a bounded buffer and a single delivery loop in front of a `LogDrain`:
 * writers only append to the buffer; one batch at a time is in flight, and
 * lines arriving meanwhile make the next batch bigger. Lines lost to overflow
 * are reported as Logplex does, with an L10 line where the gap is.
 */
export function createDrainOutlet(drain: LogDrain, opts: DrainOutletOptions): DrainOutlet {
  const now = opts.now ?? Date.now;
  const buffer = new DrainBuffer(opts.capacity ?? 1024, now);
  const maxBatchBytes = opts.maxBatchBytes ?? 100_000;
  const flushIntervalMs = opts.flushIntervalMs ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;

  const overflowNotice = (): DrainMessage | undefined => {
    const lost = buffer.takeDropped();
    if (!lost) return undefined;
    const since = formatTimestamp(lost.since);
    const message = `Error L10 (output buffer overflow): ${lost.count} messages dropped since ${since}.`;
    const notice: DrainMessage = { epochMs: now(), source: 'heroku', process: 'logplex', message };
    opts.onOverflow?.(notice);
    return notice;
  };

  const takeBatch = (): DrainMessage[] => {
    const notice = overflowNotice();
    const batch = notice ? [notice] : [];
    let bytes = 0;
    for (let next = buffer.peek(); next; next = buffer.peek()) {
      const size = Buffer.byteLength(next.message) + FRAME_OVERHEAD;
      if (batch.length && bytes + size > maxBatchBytes) break;
      bytes += size;
      batch.push(buffer.shift() as DrainMessage);
    }
    return batch;
  };

  const pump = async () => {
    for (let batch = takeBatch(); batch.length; batch = takeBatch()) {
      try {
        await drain.deliver(batch);
      } catch (e) {
        // Only a closed drain rejects; what is left is dropped by close().
        opts.logger.debug('drain stopped delivering', { error: errorMessage(e) });
        return;
      }
    }
  };

  const start = () => {
    timer = undefined;
    if (running) return;
    running = pump().finally(() => {
      running = undefined;
      if (buffer.size && !closed) schedule();
    });
  };

  const schedule = () => {
    if (!running && !timer) timer = setTimeout(start, flushIntervalMs);
  };

  return {
    offer(m) {
      if (closed) return;
      buffer.push(m);
      schedule();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      start();
      let deadline: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => (deadline = setTimeout(resolve, opts.closeTimeoutMs ?? 2000)));
      await Promise.race([running, timedOut]);
      clearTimeout(deadline);
      await drain.close();
      await running;
      if (buffer.size) opts.logger.warn('drain closed before delivering every line', { dropped: buffer.size });
      buffer.clear();
    },
  };
}

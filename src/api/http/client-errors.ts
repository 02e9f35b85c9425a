import type { Logger } from '../../shared/logger.js';

/** How often each kind of client error may reach the log. */
export const CLIENT_ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * Logs client errors (4xx, aborted requests) at most once per kind per
 * interval, with a count of those suppressed since, and never a stack: a
 * client sending garbage must not be able to flood the server log.
 */
export function createClientErrorLog(logger: Logger, intervalMs = CLIENT_ERROR_LOG_INTERVAL_MS, now: () => number = Date.now) {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (kind: string, message: string): void => {
    const t = now();
    const seen = last.get(kind);
    if (seen && t - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    last.set(kind, { at: t, suppressed: 0 });
    logger.info('client error', { kind, message: message.slice(0, 200), suppressedBefore: seen?.suppressed ?? 0 });
  };
}

export type ClientErrorLog = ReturnType<typeof createClientErrorLog>;

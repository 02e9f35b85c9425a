import type { Logger } from '../../shared/logger.js';
import type { DrainDestinations } from './destination.js';
import type { LogEntry } from '../types.js';

/** One line as a drain sends it. */
export type DrainMessage = Pick<LogEntry, 'epochMs' | 'source' | 'process' | 'message'>;

/**
 * A transport to one outside collector. The outlet in front of it owns
 * buffering and overflow; a drain owns its wire format and its retry policy.
 */
export interface LogDrain {
  /**
   * Sends a batch in order. Resolves once the batch is delivered or given up
   * under the drain's policy (a permanent refusal, retries exhausted); rejects
   * only when the drain was closed meanwhile.
   */
  deliver(batch: readonly DrainMessage[]): Promise<void>;
  /** Aborts any connect, retry or request in flight and releases the connection. */
  close(): Promise<void>;
}

export interface DrainOptions {
  /** The drain token `d.<uuid>`: the syslog hostname field, the `Logplex-Drain-Token` header. */
  token: string;
  logger: Logger;
  /** Where the drain may connect: its host is checked on open, every resolved address on connect. */
  destinations: Pick<DrainDestinations, 'checkUrl' | 'lookup'>;
  /** Extra trusted certificates (PEM) for `syslog+tls://` and `https://`; the system store otherwise. */
  ca?: string | string[];
  /** Logplex defaults: 3 s to connect, 5 s per HTTP request. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Reconnect and retry back-off: doubles from `minBackoffMs` up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** Builds a drain for a parsed, validated URL of its scheme. */
export type DrainFactory = (url: URL, opts: DrainOptions) => LogDrain;

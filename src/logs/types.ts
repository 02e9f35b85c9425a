import type { LogSource } from '../domain/index.js';

/** A stored log line. `seq` grows by one per line across all apps, so it orders and resumes streams. */
export interface LogEntry {
  seq: number;
  appId: string;
  /** Wall-clock milliseconds with a fractional part (microseconds). */
  epochMs: number;
  source: LogSource;
  process: string;
  message: string;
}

/** Which lines a reader wants, as `heroku logs --source/--ps` select them. */
export interface LogFilter {
  /** `app`, `heroku`, or a platform process such as `router` or `api`. */
  source?: string;
  /** A process type (`web`) or one dyno (`web.1`). */
  dyno?: string;
}

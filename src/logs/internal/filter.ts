import type { LogEntry, LogFilter } from '../types.js';

/**
 * `source` is `app` or `heroku` (Heroku's two sources), or a platform
 * process name (`router`, `api`) as a shortcut for `heroku` + that process.
 * `dyno` selects a process type (`web`) or one dyno (`web.1`).
 */
export function matches(e: Pick<LogEntry, 'source' | 'process'>, f: LogFilter): boolean {
  if (f.source) {
    const bySource = f.source === 'app' || f.source === 'heroku';
    if (bySource ? e.source !== f.source : e.source !== 'heroku' || e.process !== f.source) return false;
  }
  if (f.dyno && e.process !== f.dyno && !e.process.startsWith(f.dyno + '.')) return false;
  return true;
}

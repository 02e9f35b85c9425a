import { invalid } from './errors.js';
import { lazyPackage } from './lazy.js';

/** cron-parser and luxon (~6 MB resident): loaded by the first schedule parsed, not by every server (issue 17). */
const cronParser = lazyPackage<typeof import('cron-parser')>('cron-parser');

/** A parsed cron schedule, evaluated in UTC. */
export interface CronSchedule {
  readonly expression: string;
  /** The first time strictly after `after` the schedule fires. */
  next(after: Date): Date;
  /** The last time at or before `at` the schedule fired. */
  previous(at: Date): Date;
}

const ALIASES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/**
 * Parses standard cron syntax (five fields: minute hour day-of-month month
 * day-of-week, or an alias such as `@daily`) with `cron-parser`, in UTC. A bad
 * expression is a 422 that says what was wrong and what is expected.
 */
export function parseCronSchedule(expression: string): CronSchedule {
  const text = expression.trim().replace(/\s+/g, ' ');
  const help = 'Use five fields "minute hour day-of-month month day-of-week" such as "*/10 * * * *", or @hourly/@daily.';
  const fields = text.split(' ').length;
  if (!ALIASES.includes(text.toLowerCase()) && fields !== 5) {
    throw invalid(`Invalid cron schedule "${expression}": it has ${fields} field${fields === 1 ? '' : 's'}. ${help}`);
  }
  const at = (currentDate: Date) => cronParser().CronExpressionParser.parse(text, { currentDate, tz: 'UTC' });
  try {
    at(new Date());
  } catch (e) {
    throw invalid(`Invalid cron schedule "${expression}": ${e instanceof Error ? e.message : String(e)}. ${help}`);
  }
  return {
    expression: text,
    next: (after) => at(after).next().toDate(),
    // `prev()` is strictly before its start: start one millisecond after `at` to include it.
    previous: (when) => at(new Date(when.getTime() + 1)).prev().toDate(),
  };
}

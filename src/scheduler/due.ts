import type { CronJob } from '../store/index.js';
import { parseCronSchedule } from '../shared/cron.js';

export interface DueRun {
  job: CronJob;
  /** The schedule time this run is for (recorded as the job's last run before it starts). */
  at: Date;
  /** False when the job's previous run still goes: the time is recorded but not run (no overlap). */
  run: boolean;
}

/**
 * Which jobs are due at `now`, without I/O: a job is due when its schedule
 * fired after its last run (or its creation). Only the latest missed time
 * counts, so a platform that was down runs a job at most once on its return,
 * and a time already recorded is never run again.
 */
export function dueRuns(jobs: readonly CronJob[], now: Date, running: ReadonlySet<string>): DueRun[] {
  return jobs.flatMap((job) => {
    const at = parseCronSchedule(job.schedule).previous(now);
    const since = Date.parse(job.lastRunAt ?? job.createdAt);
    if (at.getTime() <= since) return [];
    return [{ job, at, run: !running.has(job.id) }];
  });
}

/** When the next of `jobs` fires after `now` (null without jobs). */
export function nextFire(jobs: readonly CronJob[], now: Date): Date | null {
  let next: Date | null = null;
  for (const job of jobs) {
    const t = parseCronSchedule(job.schedule).next(now);
    if (!next || t < next) next = t;
  }
  return next;
}

/**
 * Scheduler: apps' scheduled jobs (cron syntax, UTC), each due time run in a
 * one-off dyno `scheduler.N` through the `OneOffRunner` port. Owns when jobs
 * run and the record of their last run; must not start dynos itself or know
 * how a one-off dyno runs.
 */
export { createScheduler, type Scheduler, type SchedulerDeps, type NewJob } from './service.js';
export { dueRuns, nextFire, type DueRun } from './due.js';

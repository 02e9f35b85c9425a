import { DEFAULT_DYNO_SIZE, resolveDynoSize } from '../config/index.js';
import type { App, LogSink, OneOffRunner } from '../domain/index.js';
import { parseCronSchedule } from '../shared/cron.js';
import { errorMessage, invalid, notFound } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { isoTime } from '../shared/time.js';
import type { CronJob, Store } from '../store/index.js';
import { dueRuns, nextFire } from './due.js';

/** The longest the scheduler sleeps between looks (jobs added meanwhile are seen by then). */
const MAX_SLEEP_MS = 30_000;

export interface SchedulerDeps {
  store: Pick<Store, 'apps' | 'cronJobs'>;
  runner: OneOffRunner;
  logs: LogSink;
  logger: Logger;
  now?: () => Date;
}

export interface NewJob {
  schedule: string;
  command: string;
  size?: string;
}

/**
 * Scheduled jobs (Heroku Scheduler, with cron syntax): each due time runs the
 * job's command in a one-off dyno `scheduler.N` of the app's current release.
 * A run is recorded before it starts (a restart never repeats it); a job whose
 * previous run still goes skips the time.
 */
export function createScheduler(deps: SchedulerDeps) {
  const { store, runner, logs, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const running = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  const say = (appId: string, message: string) => logs.write(appId, { source: 'heroku', process: 'scheduler', message });

  const runJob = async (job: CronJob, app: App) => {
    running.add(job.id);
    try {
      say(app.id, `Running job ${job.id.slice(0, 8)} (${job.schedule}): ${job.command}`);
      const { name, status } = await runner.runToExit({ app, type: 'scheduler', command: job.command });
      say(app.id, `Job ${job.id.slice(0, 8)} finished on ${name} with status ${status}`);
    } catch (e) {
      say(app.id, `Job ${job.id.slice(0, 8)} could not start: ${errorMessage(e)}`);
    } finally {
      running.delete(job.id);
    }
  };

  /** Starts every due run; resolves once they have started (not finished). */
  const tick = () => {
    const jobs = store.cronJobs.listAll();
    for (const due of dueRuns(jobs, now(), running)) {
      store.cronJobs.setLastRun(due.job.id, isoTime(due.at));
      const app = store.apps.find(due.job.appId);
      if (!app) continue;
      if (!due.run) {
        say(app.id, `Skipping job ${due.job.id.slice(0, 8)} at ${isoTime(due.at)}: its previous run is still going`);
        continue;
      }
      void runJob(due.job, app);
    }
    return jobs;
  };

  const loop = () => {
    if (stopped) return;
    let jobs: CronJob[] = [];
    try {
      jobs = tick();
    } catch (e) {
      logger.error('scheduler tick failed', { error: errorMessage(e) });
    }
    const next = nextFire(jobs, now());
    const wait = next ? Math.min(MAX_SLEEP_MS, Math.max(0, next.getTime() - now().getTime()) + 50) : MAX_SLEEP_MS;
    timer = setTimeout(loop, wait);
    timer.unref();
  };

  const validate = (j: NewJob) => {
    const command = j.command.trim();
    if (!command) throw invalid('A scheduled job needs a command, e.g. `cupaas cron:add "0 3 * * *" -- python3 nightly.py`.');
    return { schedule: parseCronSchedule(j.schedule).expression, command, size: resolveDynoSize(j.size ?? DEFAULT_DYNO_SIZE) };
  };

  return {
    start() {
      stopped = false;
      loop();
    },
    /** Stops scheduling; runs in progress end with their dynos (the runtime driver stops them at shutdown). */
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
    list: (app: App): CronJob[] => store.cronJobs.list(app.id),
    add: (app: App, j: NewJob): CronJob => store.cronJobs.add(app.id, validate(j)),
    remove(app: App, id: string): void {
      if (!store.cronJobs.remove(app.id, id)) throw notFound('scheduled job', id);
    },
    /** Checks a manifest's entries the way `add` does (for `.cupaas` `cron:`). */
    validate,
    /** Runs the due jobs now (tests and the loop). */
    tick,
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;

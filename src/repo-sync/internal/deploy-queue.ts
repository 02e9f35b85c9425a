import type { BuildTrigger } from '../../domain/index.js';

export interface DeployJob {
  sha: string;
  trigger: BuildTrigger;
  userId: string | null;
  /** Deploy even when this sha was deployed before (a manual trigger). */
  force?: boolean;
}

/** `duplicate`: this sha is already deployed, building or next in line. */
export type OfferResult = 'started' | 'queued' | 'duplicate';

interface Slot {
  running: DeployJob | null;
  runningDone: Promise<void> | null;
  next: DeployJob | null;
  /** The newest sha accepted for this app: the one building, queued, or last deployed. */
  accepted: string | null;
}

/**
 * One build at a time per app, with a single "next" slot: commits landing
 * while a build runs replace each other there, so only the newest is built
 * next. A sha is accepted once, whichever of webhook and poll sees it first.
 */
export function createDeployQueue(run: (appId: string, job: DeployJob) => Promise<void>) {
  const slots = new Map<string, Slot>();
  const slot = (appId: string): Slot => {
    let s = slots.get(appId);
    if (!s) slots.set(appId, (s = { running: null, runningDone: null, next: null, accepted: null }));
    return s;
  };

  const start = (appId: string, s: Slot, job: DeployJob): void => {
    s.running = job;
    // run() reports its own failures; the queue only needs to move on.
    s.runningDone = run(appId, job)
      .catch(() => undefined)
      .then(() => {
        s.running = null;
        s.runningDone = null;
        const next = s.next;
        s.next = null;
        if (next) start(appId, s, next);
      });
  };

  return {
    /** Sets the last deployed sha, known from the store at start or reset by a new connection. */
    seed(appId: string, sha: string | null): void {
      slot(appId).accepted = sha;
    },

    accepted: (appId: string): string | null => slots.get(appId)?.accepted ?? null,

    offer(appId: string, job: DeployJob): OfferResult {
      const s = slot(appId);
      const pending = s.next ?? s.running;
      if (job.force ? pending?.sha === job.sha : s.accepted === job.sha) return 'duplicate';
      s.accepted = job.sha;
      if (s.running) {
        s.next = job;
        return 'queued';
      }
      start(appId, s, job);
      return 'started';
    },

    /** What is building and what is next, for status displays. */
    status(appId: string): { building: string | null; next: string | null } {
      const s = slots.get(appId);
      return { building: s?.running?.sha ?? null, next: s?.next?.sha ?? null };
    },

    /** Forgets an app: drops its queued job; resolves when its running build (if any) ends. */
    async drop(appId: string): Promise<void> {
      const s = slots.get(appId);
      if (!s) return;
      s.next = null;
      slots.delete(appId);
      await s.runningDone;
    },

    /** Resolves when no build started by the queue is running. */
    async idle(): Promise<void> {
      while ([...slots.values()].some((s) => s.runningDone)) {
        await Promise.all([...slots.values()].map((s) => s.runningDone));
      }
    },
  };
}

export type DeployQueue = ReturnType<typeof createDeployQueue>;

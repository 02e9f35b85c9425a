import { pollDelay } from './poll-delay.js';

export interface PollerDeps {
  /** Seconds between polls of the app's repository; 0 or null stops polling it. */
  intervalOf(appId: string): number | null;
  /** One poll; a rejection counts as a failure and backs off. */
  check(appId: string): Promise<void>;
  onFailure(appId: string, error: unknown, retryInMs: number, failures: number): void;
  random?: () => number;
}

interface Entry {
  timer: NodeJS.Timeout | null;
  failures: number;
}

/**
 * Polls each connected repository on its own jittered timer, backing off
 * exponentially while its remote fails. One entry per app; an entry replaced
 * or removed during a poll is not rescheduled by that poll.
 */
export function createPoller(deps: PollerDeps) {
  const random = deps.random ?? Math.random;
  const entries = new Map<string, Entry>();
  let stopped = false;

  const arm = (appId: string, entry: Entry, ms: number): void => {
    entry.timer = setTimeout(() => void tick(appId, entry), ms);
    entry.timer.unref();
  };

  const tick = async (appId: string, entry: Entry): Promise<void> => {
    entry.timer = null;
    let failure: { error: unknown } | null = null;
    try {
      await deps.check(appId);
      entry.failures = 0;
    } catch (error) {
      entry.failures++;
      failure = { error };
    }
    const interval = deps.intervalOf(appId);
    if (stopped || entries.get(appId) !== entry || !interval) return;
    const ms = pollDelay(interval, entry.failures, random());
    if (failure) deps.onFailure(appId, failure.error, ms, entry.failures);
    arm(appId, entry, ms);
  };

  const unschedule = (appId: string): void => {
    const entry = entries.get(appId);
    if (entry?.timer) clearTimeout(entry.timer);
    entries.delete(appId);
  };

  return {
    /** (Re)starts polling an app; the first poll comes after a random part of one interval. */
    schedule(appId: string): void {
      unschedule(appId);
      const interval = deps.intervalOf(appId);
      if (stopped || !interval) return;
      const entry: Entry = { timer: null, failures: 0 };
      entries.set(appId, entry);
      arm(appId, entry, Math.round(interval * 1000 * random()));
    },
    unschedule,
    stop(): void {
      stopped = true;
      for (const appId of [...entries.keys()]) unschedule(appId);
    },
  };
}

export type Poller = ReturnType<typeof createPoller>;

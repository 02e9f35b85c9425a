export interface QueueHooks {
  /** The app already has a build running or queued; `buildId` is the one just ahead. */
  onWaitForApp(buildId: string): void;
  /** Every build slot is taken by other apps. */
  onWaitForSlot(running: number): void;
}

/**
 * Builds of one app run one after another (in arrival order); builds of
 * different apps run in parallel, at most `concurrency` at a time.
 */
export function createBuildQueue(concurrency: number) {
  const limit = Math.max(1, concurrency);
  const tails = new Map<string, { done: Promise<void>; buildId: string }>();
  const slotWaiters: Array<() => void> = [];
  let running = 0;

  const acquireSlot = async (hooks: QueueHooks) => {
    if (running >= limit) {
      hooks.onWaitForSlot(running);
      await new Promise<void>((resolve) => slotWaiters.push(resolve));
    } else {
      running++;
    }
  };
  // A released slot passes straight to the next waiter, so `running` stays exact.
  const releaseSlot = () => {
    const next = slotWaiters.shift();
    if (next) next();
    else running--;
  };

  return {
    async run<T>(appId: string, buildId: string, hooks: QueueHooks, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(appId);
      let finish!: () => void;
      const tail = { done: new Promise<void>((resolve) => (finish = resolve)), buildId };
      tails.set(appId, tail);
      try {
        if (previous) {
          hooks.onWaitForApp(previous.buildId);
          await previous.done;
        }
        await acquireSlot(hooks);
        try {
          return await fn();
        } finally {
          releaseSlot();
        }
      } finally {
        finish();
        if (tails.get(appId) === tail) tails.delete(appId);
      }
    },
    /** Whether a build of the app is running or waiting. */
    busy: (appId: string): boolean => tails.has(appId),
  };
}

export type BuildQueue = ReturnType<typeof createBuildQueue>;

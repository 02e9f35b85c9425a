import type { DriverDynoState, DynoEvent, ObservedDyno, RuntimeDriver, StopResult } from './types.js';

/** What a single-machine driver keeps of each dyno it runs, whatever runs it (a process, a container). */
export interface TableDyno {
  observed: ObservedDyno;
  /** Aborts the readiness probe (stop, exit). */
  probe: AbortController;
  stopRequested: boolean;
  stopping: Promise<StopResult> | null;
  finished: boolean;
  /** Settles once the launch attempt is over (started or failed). */
  launched: Promise<void>;
  markLaunched(): void;
  /** Settles once the dyno is gone and reported. */
  done: Promise<void>;
  markDone(): void;
}

/** A new dyno entry, `starting` as of now. */
export function tableDyno(spec: ObservedDyno['spec'], o: Pick<ObservedDyno, 'host' | 'isolation'>): TableDyno {
  let markLaunched!: () => void;
  let markDone!: () => void;
  const now = Date.now();
  return {
    observed: { spec, state: 'starting', startedAt: now, since: now, host: o.host, port: null, isolation: o.isolation },
    probe: new AbortController(), stopRequested: false, stopping: null, finished: false,
    launched: new Promise((r) => (markLaunched = r)), markLaunched, done: new Promise((r) => (markDone = r)), markDone,
  };
}

/**
 * The dyno bookkeeping the local and docker drivers share: which dynos run,
 * their states, the events listeners get, and the stop-once rule (a second
 * `stop()` waits for the first). How a dyno is launched and ended stays the
 * driver's: it passes `terminate` in.
 */
export function createDynoTable<D extends TableDyno>() {
  const dynos = new Map<string, D>();
  const listeners = new Set<(e: DynoEvent) => void>();
  let closed = false;
  const emit = (e: DynoEvent) => listeners.forEach((l) => l(e));
  const setState = (d: D, state: DriverDynoState) => {
    d.observed.state = state;
    d.observed.since = Date.now();
  };

  return {
    dynos,
    /** Adds a dyno about to be launched; refused once the driver is closed. */
    add(d: D): void {
      if (closed) throw new Error('the runtime driver is closed');
      dynos.set(d.observed.spec.dynoId, d);
    },
    /** A starting dyno is ready: `up`, reported once. */
    markUp(d: D): void {
      if (d.observed.state !== 'starting') return;
      setState(d, 'up');
      emit({ type: 'up', dynoId: d.observed.spec.dynoId, dyno: { ...d.observed } });
    },
    /** The dyno is gone: it leaves the table and its exit is reported. Call once (`d.finished` guards the callers). */
    remove(d: D, status: number, error?: string): void {
      dynos.delete(d.observed.spec.dynoId);
      emit({ type: 'exited', dynoId: d.observed.spec.dynoId, dyno: { ...d.observed }, status, requested: d.stopRequested, ...(error ? { error } : {}) });
      d.markDone();
    },
    /** Stops a dyno once: marks it `stopping`, aborts its probe and runs `terminate`; later calls share the result. */
    stop(dynoId: string, terminate: (d: D) => Promise<StopResult>): Promise<StopResult> {
      const d = dynos.get(dynoId);
      if (!d) return Promise.resolve({ forced: false });
      if (!d.stopping) {
        d.stopRequested = true;
        d.probe.abort();
        setState(d, 'stopping');
        d.stopping = terminate(d);
      }
      return d.stopping;
    },
    list: (): ObservedDyno[] => [...dynos.values()].map((d) => ({ ...d.observed })),
    subscribe: ((listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }) satisfies RuntimeDriver['subscribe'],
    /** Refuses new dynos and stops every running one (gracefully). */
    async close(stop: (dynoId: string) => Promise<StopResult>): Promise<void> {
      closed = true;
      await Promise.all([...dynos.keys()].map(stop));
    },
  };
}

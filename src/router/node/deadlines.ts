/**
 * Timeouts for many requests that all wait the same duration. One Node timer
 * per queue instead of one per request: with a shared duration, insertion
 * order is deadline order, so only the oldest entry needs a timer. Cheaper
 * than `setTimeout` per request, which also rebuilt Node's timer list
 * whenever it emptied between requests.
 */
export interface Deadlines<T> {
  /** Starts the clock for `item`; `onExpire(item)` runs unless it is removed first. */
  add(item: T): void;
  remove(item: T): void;
  /** Forgets every pending item without expiring it. */
  clear(): void;
}

export function createDeadlines<T>(ms: number, onExpire: (item: T) => void): Deadlines<T> {
  const due = new Map<T, number>();
  let timer: NodeJS.Timeout | undefined;

  const arm = (at: number) => {
    timer = setTimeout(sweep, Math.max(0, at - Date.now()));
    timer.unref();
  };
  const sweep = () => {
    timer = undefined;
    const now = Date.now();
    for (const [item, at] of due) {
      if (at > now) return arm(at);
      due.delete(item);
      onExpire(item);
    }
  };

  return {
    add(item) {
      const at = Date.now() + ms;
      // Re-adding moves the item to the end, keeping the map in deadline order.
      due.delete(item);
      due.set(item, at);
      if (!timer) arm(at);
    },
    remove: (item) => void due.delete(item),
    clear() {
      due.clear();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

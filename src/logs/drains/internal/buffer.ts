import type { DrainMessage } from '../types.js';

/**
 * A drain's bounded queue. When a collector falls behind, the oldest lines
 * go first (as in Logplex) and are counted, so the outlet can say how many
 * were lost and since when.
 */
export class DrainBuffer {
  private items: DrainMessage[] = [];
  private head = 0;
  private dropped = 0;
  private droppedSince = 0;

  constructor(
    readonly capacity: number,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(m: DrainMessage): void {
    if (this.size >= this.capacity) {
      if (this.dropped === 0) this.droppedSince = this.now();
      this.dropped++;
      this.head++;
    }
    this.items.push(m);
    // Compact now and then instead of shifting an array on every line.
    if (this.head >= this.capacity) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  shift(): DrainMessage | undefined {
    if (this.size === 0) return undefined;
    const m = this.items[this.head++];
    if (this.size === 0) this.clear();
    return m;
  }

  peek(): DrainMessage | undefined {
    return this.items[this.head];
  }

  /** Lines dropped since the last call, and when the first of them was dropped. */
  takeDropped(): { count: number; since: number } | undefined {
    if (this.dropped === 0) return undefined;
    const lost = { count: this.dropped, since: this.droppedSince };
    this.dropped = 0;
    return lost;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

import type { LogSource } from '../../domain/index.js';
import type { LogEntry, LogFilter } from '../types.js';
import { matches } from './filter.js';

const SOURCES: readonly LogSource[] = ['app', 'heroku'];

/**
 * Process names (`web.1`, `router`) as small ids, counted by the lines that
 * use them, so a name is kept once per app and dropped with its last line
 * (one-off dyno names would otherwise pile up).
 */
class ProcessNames {
  private readonly ids = new Map<string, number>();
  private readonly names: (string | undefined)[] = [];
  private readonly refs: number[] = [];
  private readonly free: number[] = [];

  acquire(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.free.pop() ?? this.names.length;
      this.ids.set(name, id);
      this.names[id] = name;
      this.refs[id] = 0;
    }
    this.refs[id]!++;
    return id;
  }

  release(id: number): void {
    if (--this.refs[id]! > 0) return;
    this.ids.delete(this.names[id] as string);
    this.names[id] = undefined;
    this.free.push(id);
  }

  name = (id: number): string => this.names[id] as string;
}

/**
 * One app's last lines, kept as bytes: messages in one preallocated byte
 * arena, everything else in typed arrays indexed by slot. A history of heap
 * strings and objects stays alive across every minor GC of a busy router;
 * this one is a handful of objects whatever it holds, and a message is
 * decoded only when someone reads it. Bounded twice: at most `maxLines`
 * lines, and as many bytes as the arena holds (the oldest lines go first).
 */
export class LogHistory {
  private readonly arena: Buffer;
  private readonly seqs: Float64Array;
  private readonly epochs: Float64Array;
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint32Array;
  /** Arena bytes a line took: its message plus the arena's end it skipped to start at 0. */
  private readonly spans: Uint32Array;
  private readonly processes: Uint32Array;
  private readonly sources: Uint8Array;
  private readonly names = new ProcessNames();
  private first = 0;
  private count = 0;
  /** Where the next message goes, and arena bytes held by live lines. */
  private head = 0;
  private used = 0;

  /** `arenaBytes` must hold the longest message. */
  constructor(private readonly appId: string, private readonly maxLines: number, arenaBytes: number) {
    // Unpooled and uninitialised: only written bytes are ever read, and untouched pages cost no memory.
    this.arena = Buffer.allocUnsafeSlow(arenaBytes);
    this.seqs = new Float64Array(maxLines);
    this.epochs = new Float64Array(maxLines);
    this.offsets = new Uint32Array(maxLines);
    this.lengths = new Uint32Array(maxLines);
    this.spans = new Uint32Array(maxLines);
    this.processes = new Uint32Array(maxLines);
    this.sources = new Uint8Array(maxLines);
  }

  get size(): number {
    return this.count;
  }

  push(seq: number, epochMs: number, source: LogSource, process: string, message: string): void {
    const length = Buffer.byteLength(message, 'utf8');
    if (length > this.arena.length) throw new RangeError(`a log message of ${length} bytes exceeds the history arena`);
    if (this.count === this.maxLines) this.evictOldest();
    const slot = (this.first + this.count) % this.maxLines;
    this.offsets[slot] = this.reserve(length, slot);
    this.arena.write(message, this.offsets[slot]!, length, 'utf8');
    this.lengths[slot] = length;
    this.seqs[slot] = seq;
    this.epochs[slot] = epochMs;
    this.sources[slot] = source === 'app' ? 0 : 1;
    this.processes[slot] = this.names.acquire(process);
    this.count++;
  }

  /** The last `lines` lines that pass the filter, oldest first; only these are decoded. */
  recent(lines: number, filter: LogFilter): LogEntry[] {
    const picked: number[] = [];
    const probe = { source: 'app' as LogSource, process: '' };
    for (let i = this.count - 1; i >= 0 && picked.length < lines; i--) {
      const slot = (this.first + i) % this.maxLines;
      probe.source = SOURCES[this.sources[slot]!]!;
      probe.process = this.names.name(this.processes[slot]!);
      if (matches(probe, filter)) picked.push(slot);
    }
    return picked.reverse().map((slot) => this.entry(slot));
  }

  private entry(slot: number): LogEntry {
    const offset = this.offsets[slot]!;
    return {
      seq: this.seqs[slot]!,
      appId: this.appId,
      epochMs: this.epochs[slot]!,
      source: SOURCES[this.sources[slot]!]!,
      process: this.names.name(this.processes[slot]!),
      message: this.arena.toString('utf8', offset, offset + this.lengths[slot]!),
    };
  }

  /**
   * Room for `length` contiguous bytes after the newest message, evicting the
   * oldest lines until it is free. Live bytes form one circular run ending at
   * `head`, so the free bytes are the rest of the circle, starting at `head`;
   * a message that would cross the arena's end starts at 0 instead, and the
   * skipped end counts as its own.
   */
  private reserve(length: number, slot: number): number {
    for (;;) {
      if (this.count === 0) this.head = this.used = 0;
      const wraps = this.head + length > this.arena.length;
      const span = wraps ? this.arena.length - this.head + length : length;
      if (this.used + span <= this.arena.length) {
        const offset = wraps ? 0 : this.head;
        this.head = offset + length;
        this.used += span;
        this.spans[slot] = span;
        return offset;
      }
      this.evictOldest();
    }
  }

  private evictOldest(): void {
    const slot = this.first;
    this.used -= this.spans[slot]!;
    this.names.release(this.processes[slot]!);
    this.first = (slot + 1) % this.maxLines;
    this.count--;
  }
}

import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { DynoAttachment, ObservedDyno } from '../types.js';

/** One dyno under the local driver's supervision. */
export interface LocalDyno {
  observed: ObservedDyno;
  scratchDir: string;
  child: ChildProcess | null;
  /** The launcher's clean-up for this dyno, once launched. */
  release: (() => Promise<void>) | null;
  stopRequested: boolean;
  /** Aborts the readiness probe (stop, exit). */
  probe: AbortController;
  /** Settles once a stop's SIGTERM reaches the dyno's shell (the launcher's `stoppable`). */
  stoppable: Promise<void>;
  /** Settles once the launch attempt is over (spawned or failed). */
  launched: Promise<void>;
  markLaunched(): void;
  /** Settles once the dyno is gone and reported. */
  done: Promise<void>;
  markDone(): void;
  finished: boolean;
  stopping: Promise<{ forced: boolean }> | null;
}

export function newLocalDyno(observed: ObservedDyno, scratchDir: string): LocalDyno {
  let markLaunched!: () => void;
  let markDone!: () => void;
  const launched = new Promise<void>((r) => (markLaunched = r));
  const done = new Promise<void>((r) => (markDone = r));
  return {
    observed, scratchDir, child: null, release: null, stopRequested: false, probe: new AbortController(),
    stoppable: Promise.resolve(), launched, markLaunched, done, markDone, finished: false, stopping: null,
  };
}

/** Calls `onLine` for each line of a stream (without the newline). */
export function forEachLine(stream: Readable | null, onLine: (line: string) => void): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
}

/** Resolves when the child's stdio streams have closed, or after `ms` (a daemon may hold them open). */
export function outputClosed(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(t);
      resolve();
    };
    if (child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) return done();
    child.once('close', done);
  });
}

/** Connects an attached client to the process: its input to stdin, stdout and stderr back as bytes. */
export function connectAttachment(child: ChildProcess, attachment: DynoAttachment): void {
  child.stdout?.on('data', (c: Buffer) => attachment.output(c));
  child.stderr?.on('data', (c: Buffer) => attachment.output(c));
  const stdin = child.stdin;
  if (!stdin) return;
  // The process may exit without reading all of its input: that is not the platform's error.
  stdin.on('error', () => {});
  attachment.input.pipe(stdin);
}

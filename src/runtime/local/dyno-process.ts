import type { ChildProcess } from 'node:child_process';
import type { TableDyno } from '../dyno-table.js';
import type { DynoAttachment } from '../types.js';
import type { OutputFollower } from './dyno-output.js';

/** One dyno under the local driver's supervision. */
export interface LocalDyno extends TableDyno {
  scratchDir: string;
  /** The leader of the dyno's process group, once launched (or adopted). */
  pid: number | null;
  /** Our child process; null for a dyno adopted from a previous server. */
  child: ChildProcess | null;
  /** Follows the dyno's output file into the logs (none for an attached one-off dyno). */
  output: OutputFollower | null;
  /** Set when a stop had to SIGKILL: an adopted dyno's status is then known without its shell's word. */
  killed: boolean;
  /** The launcher's clean-up for this dyno, once launched. */
  release: (() => Promise<void>) | null;
  /** Settles once a stop's SIGTERM reaches the dyno's shell (the launcher's `stoppable`). */
  stoppable: Promise<void>;
}

export function newLocalDyno(base: TableDyno, scratchDir: string): LocalDyno {
  return { ...base, scratchDir, pid: null, child: null, output: null, killed: false, release: null, stoppable: Promise.resolve() };
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

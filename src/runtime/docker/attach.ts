import { PassThrough } from 'node:stream';
import type { Container } from 'dockerode';
import type { Engine } from '../../images/index.js';
import { forEachLine } from '../local/dyno-process.js';

/**
 * Streams a container's stdout and stderr, line by line, from now on (the
 * engine keeps no log file of dynos: their lines go to the log bus only).
 * Resolves once attached, with a promise that settles when the output ends.
 */
export async function attachLines(engine: Engine, container: Container, onLine: (line: string) => void): Promise<{ ended: Promise<void> }> {
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
  const out = new PassThrough();
  const err = new PassThrough();
  engine.modem.demuxStream(stream, out, err);
  const ended = new Promise<void>((resolve) => {
    const end = () => {
      out.end();
      err.end();
      resolve();
    };
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  });
  forEachLine(out, onLine);
  forEachLine(err, onLine);
  return { ended };
}

import { PassThrough, type Duplex } from 'node:stream';
import type { Container } from 'dockerode';
import type { Engine } from '../../images/index.js';
import { forEachLine } from '../../shared/lines.js';
import type { DynoAttachment } from '../types.js';

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

/**
 * Connects an attached client (`heroku run`) to a created container before
 * it starts: the client's input to the container's stdin (its end closes
 * stdin, except on a terminal), stdout and stderr back as raw bytes (one stream on a terminal).
 * Resolves once attached, with a promise that settles when the output ends.
 */
export async function attachClient(engine: Engine, container: Container, attachment: DynoAttachment): Promise<{ ended: Promise<void> }> {
  const stream = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
  const ended = new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', resolve);
  });
  if (attachment.tty) stream.on('data', (c: Buffer) => attachment.output(c));
  else {
    const out = new PassThrough();
    out.on('data', (c: Buffer) => attachment.output(c));
    engine.modem.demuxStream(stream, out, out);
  }
  // The container may exit without reading all of its input: that is not the platform's error.
  stream.on('error', () => {});
  // On a terminal the input's end is not the end of stdin (the engine would close the terminal, output and all):
  // the terminal stays, as the local driver's pty relay keeps it, until the dyno ends or its client goes.
  attachment.input.pipe(stream, { end: !attachment.tty });
  return { ended };
}

import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import tls, { type SecureContext, type TLSSocket } from 'node:tls';
import type { AttachedDyno, AttachClient } from '../reconciler/index.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

/** A client must present its secret this soon after connecting. */
const HELLO_TIMEOUT_MS = 10_000;
const MAX_HELLO_BYTES = 512;
/** What the Heroku CLI appends to the stream to learn a command's exit status (`heroku run -x`). */
const exitStatusLine = (status: number) => `\uFFFF heroku-command-exit-status: ${status}\n`;
/** End of input in the CLI's non-terminal mode (it sends ^D when its stdin ends). */
const EOT = 0x04;

export interface RendezvousDeps {
  /** The leaf certificate chain and key (the platform CA signs it). */
  tls: { chainPem: string; keyPem: string };
  listen: string;
  port: number;
  oneOffs: { attach(secret: string, client: AttachClient): AttachedDyno | undefined };
  logger: Logger;
}

export interface Rendezvous {
  port: number;
  close(): Promise<void>;
}

/**
 * The protocol: the client sends `SECRET\r\n` (the attach URL's path); the
 * server answers one line (`rendezvous`, which the client discards), starts
 * the dyno, then relays raw bytes both ways; with `reportStatus` it ends with
 * the exit-status line; then it closes. A closing client stops the dyno.
 */
export async function startRendezvous(deps: RendezvousDeps): Promise<Rendezvous> {
  const sockets = new Set<TLSSocket>();
  // TLS is set up on the first attach: most servers never see one, and Node's TLS costs ~0.8 MB resident (issue 17).
  let context: SecureContext | undefined;
  // Half-open: a client that ends its input still gets the rest of the output and the status.
  const server = createServer({ allowHalfOpen: true }, (raw) => {
    context ??= tls.createSecureContext({ cert: deps.tls.chainPem, key: deps.tls.keyPem });
    // The TLS socket takes the raw one's half-open setting.
    const socket = new tls.TLSSocket(raw, { isServer: true, secureContext: context });
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (e) => deps.logger.debug('rendezvous connection error', { error: errorMessage(e) }));
    handle(socket, deps);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.listen, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function handle(socket: TLSSocket, deps: RendezvousDeps): void {
  let hello = Buffer.alloc(0);
  socket.setTimeout(HELLO_TIMEOUT_MS, () => socket.destroy());
  const onHello = (chunk: Buffer) => {
    hello = Buffer.concat([hello, chunk]);
    const end = hello.indexOf('\r\n');
    if (end < 0) {
      if (hello.length > MAX_HELLO_BYTES) socket.destroy();
      return;
    }
    socket.off('data', onHello);
    socket.setTimeout(0);
    const secret = hello.subarray(0, end).toString('utf8').replace(/^\//, '').split('?')[0] ?? '';
    relay(socket, secret, hello.subarray(end + 2), deps);
  };
  socket.on('data', onHello);
}

function relay(socket: TLSSocket, secret: string, early: Buffer, deps: RendezvousDeps): void {
  const input = new PassThrough();
  const dyno = deps.oneOffs.attach(secret, { input, output: (c) => socket.write(c) });
  if (!dyno) {
    socket.end('error: this attach URL is unknown or was used already; start a new dyno\r\n');
    return;
  }
  let finished = false;
  // Without a terminal, ^D from the client means "no more input"; with one, the terminal interprets it.
  const feed = (chunk: Buffer) => {
    if (input.writableEnded) return;
    if (!dyno.tty && chunk.at(-1) === EOT) {
      input.end(chunk.subarray(0, -1));
      return;
    }
    input.write(chunk);
  };
  socket.write('rendezvous\r\n');
  if (early.length) feed(early);
  socket.on('data', feed);
  socket.on('end', () => input.end());
  socket.on('close', () => {
    if (!finished) void dyno.stop();
  });
  void dyno.exited.then((status) => {
    finished = true;
    socket.end(dyno.reportStatus ? exitStatusLine(status) : '');
  });
}

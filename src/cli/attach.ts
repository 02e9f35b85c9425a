import { existsSync, readFileSync } from 'node:fs';
import { connect, rootCertificates } from 'node:tls';

/** What the platform appends to an attached stream when asked for the exit status (Heroku's marker). */
export const EXIT_STATUS_REQUEST = '; echo "\uFFFF heroku-command-exit-status: $?"';
const STATUS_LINE = /\uFFFF heroku-command-exit-status: (\d+)\n?/;

export interface AttachOptions {
  attachUrl: string;
  /** The platform CA file, trusted besides the system's roots (and NODE_EXTRA_CA_CERTS). */
  caPath: string;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/**
 * Connects to a one-off dyno's rendezvous endpoint the way the Heroku CLI
 * does (TLS, the secret line, then raw bytes): the terminal in raw mode when
 * it is one, ^D at the end of piped input. Resolves with the command's exit status.
 */
export function attachToDyno(o: AttachOptions): Promise<number> {
  const url = new URL(o.attachUrl.replace(/^rendezvous:/, 'https:'));
  const ca = existsSync(o.caPath) ? [...rootCertificates, readFileSync(o.caPath, 'utf8')] : undefined;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), servername: url.hostname, ...(ca ? { ca } : {}) }, () => {
      socket.write(`${url.pathname.slice(1)}\r\n`);
    });
    let greeted = false;
    let pending = '';
    let status: number | null = null;
    const tty = o.stdin.isTTY === true;
    const restore = () => {
      if (tty) o.stdin.setRawMode(false);
      o.stdin.unpipe();
      o.stdin.pause();
    };
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      if (!greeted) {
        // The first line is the endpoint's greeting; the dyno runs from here on.
        const nl = (pending + data).indexOf('\r\n');
        if (nl < 0) return void (pending += data);
        const rest = (pending + data).slice(nl + 2);
        greeted = true;
        if (tty) o.stdin.setRawMode(true);
        o.stdin.on('data', (chunk: Buffer) => socket.write(chunk));
        o.stdin.on('end', () => socket.write('\x04'));
        data = rest;
      }
      const m = STATUS_LINE.exec(data);
      if (m) status = Number(m[1]);
      o.stdout.write(m ? data.replace(STATUS_LINE, '') : data);
    });
    socket.on('error', (e) => {
      restore();
      reject(e);
    });
    socket.on('close', () => {
      restore();
      if (status === null) reject(new Error('the dyno ended without an exit status (the connection was cut)'));
      else resolve(status);
    });
  });
}

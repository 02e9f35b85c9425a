import { isIP, connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { backoffMs } from '../../shared/backoff.js';
import { errorMessage } from '../../shared/errors.js';
import { delay } from '../../shared/wait.js';
import { connectDeadline } from './internal/connect-timeout.js';
import { octetFrame, syslogMessage } from './internal/frames.js';
import type { DrainMessage, DrainOptions, LogDrain } from './types.js';

/** `[::1]` in a URL is `::1` to a socket. */
export const socketHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * A syslog drain (`syslog://` or, with `secure`, `syslog+tls://`): RFC 5424
 * messages with RFC 6587 octet-counting framing over one long-lived TCP
 * connection, reconnecting with back-off. A batch written when the peer has
 * just gone away can be lost, as with any TCP syslog sender; a batch whose
 * write fails is sent again on the next connection.
 */
export function createSyslogDrain(url: URL, opts: DrainOptions, secure: boolean): LogDrain {
  const host = socketHost(url);
  const port = Number(url.port);
  const connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
  const [minBackoff, maxBackoff] = [opts.minBackoffMs ?? 500, opts.maxBackoffMs ?? 30_000];
  const log = opts.logger.child({ drain: `${url.protocol}//${url.host}` });
  const closing = new AbortController();
  let socket: Socket | null = null;
  let connecting: Socket | null = null;

  const open = (): Socket =>
    secure
      ? tlsConnect({ host, port, ca: opts.ca, servername: isIP(host) ? undefined : host, lookup: opts.destinations.lookup })
      : tcpConnect({ host, port, lookup: opts.destinations.lookup });

  const connect = () =>
    new Promise<Socket>((resolve, reject) => {
      const s = open();
      connecting = s;
      const timer = connectDeadline(s, connectTimeoutMs);
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      s.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        connecting = null;
        s.removeAllListeners('error');
        // A dead connection is noticed here and replaced on the next write.
        s.on('error', (e) => log.debug('syslog drain connection failed', { error: errorMessage(e) }));
        s.once('close', () => {
          if (socket === s) socket = null;
        });
        s.resume();
        resolve(s);
      });
    });

  const write = (s: Socket, data: string) =>
    new Promise<void>((resolve, reject) => s.write(data, (e) => (e ? reject(e) : resolve())));

  return {
    async deliver(batch: readonly DrainMessage[]) {
      const data = batch.map((m) => octetFrame(syslogMessage(m, opts.token))).join('');
      for (let attempt = 0; ; attempt++) {
        if (closing.signal.aborted) throw closing.signal.reason;
        try {
          if (!socket?.writable) socket = await connect();
          return await write(socket, data);
        } catch (e) {
          if (closing.signal.aborted) throw closing.signal.reason;
          // Say it once per outage, not on every retry of a collector that stays down.
          log[attempt === 0 ? 'warn' : 'debug']('syslog drain cannot deliver; retrying', { error: errorMessage(e) });
          socket?.destroy();
          socket = null;
          await delay(backoffMs(attempt, minBackoff, maxBackoff), closing.signal);
        }
      }
    },
    async close() {
      closing.abort(new Error('drain closed'));
      connecting?.destroy(new Error('drain closed'));
      const s = socket;
      socket = null;
      if (!s || s.destroyed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => s.destroy(), connectTimeoutMs);
        s.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        s.end();
      });
    },
  };
}

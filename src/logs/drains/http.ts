import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest } from 'node:http';
// `https.Agent` is read where it is used: the server's bundle loads https on first use (scripts/bundle-server.mjs).
import https from 'node:https';
import { backoffMs } from '../../shared/backoff.js';
import { errorMessage } from '../../shared/errors.js';
import { delay } from '../../shared/wait.js';
import { connectDeadline } from './internal/connect-timeout.js';
import { httpMessage, octetFrame } from './internal/frames.js';
import type { DrainMessage, DrainOptions, LogDrain } from './types.js';

/** Logplex's policy: the first attempt and two more. */
const ATTEMPTS = 3;

type Outcome = 'delivered' | 'refused' | 'retry';

/** 2xx delivered; a 4xx other than 429 will not get better by retrying; anything else might. */
const outcomeOf = (status: number): Outcome =>
  status >= 200 && status < 300 ? 'delivered' : status >= 400 && status < 500 && status !== 429 ? 'refused' : 'retry';

function basicAuth(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return `Basic ${Buffer.from(pair).toString('base64')}`;
}

/**
 * An HTTP(S) drain as Logplex's: each batch is one `POST` of
 * `application/logplex-1` frames, with a frame id that a retry reuses so the
 * collector can deduplicate. Certificates are verified against the system
 * store plus `opts.ca`.
 */
export function createHttpDrain(url: URL, opts: DrainOptions): LogDrain {
  const secure = url.protocol === 'https:';
  const connectTimeoutMs = opts.connectTimeoutMs ?? 3000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 5000;
  const [minBackoff, maxBackoff] = [opts.minBackoffMs ?? 500, opts.maxBackoffMs ?? 30_000];
  const auth = basicAuth(url);
  const target = new URL(url);
  target.username = target.password = '';
  const log = opts.logger.child({ drain: `${target.protocol}//${target.host}` });
  const agent = secure
    ? new https.Agent({ keepAlive: true, maxSockets: 1, ca: opts.ca, lookup: opts.destinations.lookup })
    : new HttpAgent({ keepAlive: true, maxSockets: 1, lookup: opts.destinations.lookup });
  const closing = new AbortController();

  /** Fails a request that has not connected within the connect timeout. */
  const limitConnect = (req: ClientRequest) =>
    req.once('socket', (s) => {
      if (!s.connecting) return;
      const timer = connectDeadline(req, connectTimeoutMs);
      s.once('connect', () => clearTimeout(timer));
      s.once('close', () => clearTimeout(timer));
    });

  const post = (body: string, count: number, frameId: string) =>
    new Promise<number>((resolve, reject) => {
      const headers: Record<string, string | number> = {
        'Content-Type': 'application/logplex-1',
        'Content-Length': Buffer.byteLength(body),
        'Logplex-Msg-Count': count,
        'Logplex-Frame-Id': frameId,
        'Logplex-Drain-Token': opts.token,
        'User-Agent': 'cupaas-logplex/1',
        ...(auth ? { Authorization: auth } : {}),
      };
      const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(requestTimeoutMs)]);
      const req = (secure ? https.request : httpRequest)(target, { method: 'POST', agent, headers, signal }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      });
      limitConnect(req);
      req.once('error', reject);
      req.end(body);
    });

  return {
    async deliver(batch: readonly DrainMessage[]) {
      const body = batch.map((m) => octetFrame(httpMessage(m))).join('');
      const frameId = randomBytes(16).toString('hex');
      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (attempt > 0) await delay(backoffMs(attempt - 1, minBackoff, maxBackoff), closing.signal);
        let why: string;
        try {
          const status = await post(body, batch.length, frameId);
          const outcome = outcomeOf(status);
          if (outcome === 'delivered') return;
          if (outcome === 'refused') {
            log.warn('HTTP drain refused a batch; dropped it', { status, lines: batch.length, frameId });
            return;
          }
          why = `HTTP ${status}`;
        } catch (e) {
          if (closing.signal.aborted) throw closing.signal.reason;
          why = errorMessage(e);
        }
        log.debug('HTTP drain attempt failed', { attempt: attempt + 1, error: why, frameId });
      }
      log.warn(`HTTP drain failed ${ATTEMPTS} times; dropped the batch`, { lines: batch.length, frameId });
    },
    async close() {
      closing.abort(new Error('drain closed'));
      agent.destroy();
    },
  };
}

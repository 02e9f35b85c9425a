/** Requests through a platform's router with an app's Host header, as the benches make them. */
import { Agent, request } from 'node:http';
import { delay } from '../../src/shared/wait.js';

/** The body of a 200 through the router, or undefined for any other answer or a failed request. */
export function servedBody(routerUrl: string, app: string, agent: Agent | false = false): Promise<string | undefined> {
  const router = new URL(routerUrl);
  return new Promise((resolve) => {
    const req = request({ host: router.hostname, port: router.port, path: '/', agent, headers: { Host: `${app}.localhost` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve(res.statusCode === 200 ? body : undefined));
    });
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** The dyno that answered (node-hello says `dyno=web.N`), or undefined. */
export const dynoThroughRouter = async (routerUrl: string, app: string, agent: Agent | false = false): Promise<string | undefined> =>
  /dyno=(\S+)/.exec((await servedBody(routerUrl, app, agent)) ?? '')?.[1];

export interface PollOptions {
  /** Requests in flight at once (keep-alive connections). */
  pollers: number;
  /**
   * Pause after each request per poller: the polling must not be what loads
   * the host (an unpaced loop of a few connections keeps a core of a 2-core
   * machine busy with the router, its log consumer and this process).
   */
  pauseMs: number;
  timeoutMs: number;
}

export const DEFAULT_POLL: PollOptions = { pollers: 4, pauseMs: 10, timeoutMs: 2 * 60_000 };

/**
 * Polls until `want` distinct dynos answered through the router: the
 * wall-clock ms (Date.now()) each first answered, and the requests made.
 * Throws when fewer answered within the timeout.
 */
export async function firstAnswers(
  routerUrl: string, app: string, want: number, o: PollOptions = DEFAULT_POLL,
): Promise<{ firstAt: Map<string, number>; requests: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.pollers });
  const firstAt = new Map<string, number>();
  const deadline = Date.now() + o.timeoutMs;
  let requests = 0;
  const poll = async () => {
    while (firstAt.size < want && Date.now() < deadline) {
      const dyno = await dynoThroughRouter(routerUrl, app, agent);
      requests++;
      if (dyno && !firstAt.has(dyno)) firstAt.set(dyno, Date.now());
      if (o.pauseMs > 0 && firstAt.size < want) await delay(o.pauseMs);
    }
  };
  try {
    await Promise.all(Array.from({ length: o.pollers }, poll));
  } finally {
    agent.destroy();
  }
  if (firstAt.size < want) throw new Error(`only ${firstAt.size} of ${want} dynos answered within ${o.timeoutMs / 1000}s`);
  return { firstAt, requests };
}

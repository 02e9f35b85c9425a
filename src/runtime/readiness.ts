import { request } from 'node:http';
import { connect } from 'node:net';
import { delay } from '../shared/wait.js';

const PROBE_TIMEOUT_MS = 1000;
/**
 * Connect attempts back off from 10 ms to at most 40 ms: a refused connect on
 * the dyno's own address costs microseconds, and every millisecond between the
 * app binding $PORT and the router sending it traffic is scale-out time (issue
 * 17; a 250 ms ceiling added ~150 ms per dyno).
 */
const FIRST_RETRY_MS = 10;
const MAX_RETRY_MS = 40;

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function healthy(host: string, port: number, path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 400);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** One readiness check: the port accepts TCP, and the health-check path (if any) answers below 400. */
export async function isReady(host: string, port: number, healthCheckPath: string | null): Promise<boolean> {
  if (!(await accepts(host, port))) return false;
  return healthCheckPath === null || healthy(host, port, healthCheckPath);
}

/**
 * Polls until the dyno is ready (resolves true) or `signal` aborts (false).
 * Any driver that can reach a dyno's port shares this definition of "up".
 */
export async function waitUntilReady(
  host: string,
  port: number,
  healthCheckPath: string | null,
  signal: AbortSignal,
): Promise<boolean> {
  let interval = FIRST_RETRY_MS;
  while (!signal.aborted) {
    if (await isReady(host, port, healthCheckPath)) return !signal.aborted;
    try {
      await delay(interval, signal);
    } catch {
      return false;
    }
    interval = Math.min(interval * 2, MAX_RETRY_MS);
  }
  return false;
}

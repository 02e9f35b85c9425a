import { timingSafeEqual } from 'node:crypto';
import { newId, newSecret } from '../shared/ids.js';
import { isoTime } from '../shared/time.js';
import type { LogFilter } from './types.js';

export interface LogSessionRequest extends LogFilter {
  appId: string;
  lines: number;
  tail: boolean;
  /** Who asked, with which API token: the API checks both are still good for as long as the stream runs. */
  grantedTo: { userId: string; authorizationId: string | null };
}

export interface LogSession extends LogSessionRequest {
  id: string;
  /** Carried in the stream URL, so the stream needs no API key. */
  secret: string;
  createdAt: string;
  expiresAt: number;
}

export interface LogSessions {
  create(req: LogSessionRequest): LogSession;
  /** The session if the secret matches and it has not expired. */
  open(id: string, secret: string): LogSession | undefined;
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Log sessions as Logplex hands them out: a short-lived URL that streams one
 * app's lines. Kept in memory; a server restart invalidates them, and clients
 * simply ask for a new one.
 */
export function createLogSessions(opts: { ttlMs?: number; now?: () => number } = {}): LogSessions {
  const ttlMs = opts.ttlMs ?? 360_000;
  const now = opts.now ?? Date.now;
  const sessions = new Map<string, LogSession>();
  const sweep = () => {
    for (const [id, s] of sessions) if (s.expiresAt <= now()) sessions.delete(id);
  };
  return {
    create(req) {
      sweep();
      const t = now();
      const session: LogSession = {
        ...req, id: newId(), secret: newSecret(24), createdAt: isoTime(t), expiresAt: t + ttlMs,
      };
      sessions.set(session.id, session);
      return session;
    },
    open(id, secret) {
      const s = sessions.get(id);
      if (!s || s.expiresAt <= now() || !sameSecret(s.secret, secret)) return undefined;
      return s;
    },
  };
}

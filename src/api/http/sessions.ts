import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A dashboard login: lives in memory only, so a platform restart logs everyone out. */
export interface Session {
  id: string;
  /** The API key (or OAuth token) the user logged in with; checked again on every request. */
  apiKey: string;
  csrfToken: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'cupaas_session';
export const CSRF_HEADER = 'x-csrf-token';
const LIFETIME_MS = 12 * 3_600_000;
const MAX_SESSIONS = 10_000;

const token = () => randomBytes(32).toString('base64url');

export function sessionIdFrom(headers: IncomingHttpHeaders): string | null {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === SESSION_COOKIE && v) return v;
  }
  return null;
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: Session, headers: IncomingHttpHeaders): boolean {
  const given = Buffer.from(String(headers[CSRF_HEADER] ?? ''));
  const want = Buffer.from(session.csrfToken);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The Set-Cookie value: HttpOnly, SameSite=Strict, and Secure whenever the dashboard is served over HTTPS. */
export function sessionCookie(id: string, secure: boolean, maxAgeSeconds = LIFETIME_MS / 1000): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/**
 * Dashboard sessions: a random id (the cookie) maps to the credential the
 * user presented and a CSRF token the page must echo in `X-CSRF-Token`.
 */
export function createSessions(now: () => number = Date.now) {
  const sessions = new Map<string, Session>();
  const prune = () => {
    for (const [id, s] of sessions) if (s.expiresAt <= now()) sessions.delete(id);
  };
  return {
    create(apiKey: string): Session {
      prune();
      // Bounded: the oldest go first (Map keeps insertion order).
      while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      const s: Session = { id: token(), apiKey, csrfToken: token(), expiresAt: now() + LIFETIME_MS };
      sessions.set(s.id, s);
      return s;
    },
    find(id: string | null): Session | undefined {
      const s = id ? sessions.get(id) : undefined;
      if (!s || s.expiresAt > now()) return s;
      sessions.delete(s.id);
      return undefined;
    },
    delete(id: string): void {
      sessions.delete(id);
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

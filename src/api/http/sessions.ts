import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { PlatformError } from '../../shared/errors.js';

/** A dashboard login: lives in memory only, so a platform restart logs everyone out. */
export interface Session {
  id: string;
  /** The API token the user logged in with (pasted, or made for this session); checked again on every request. */
  apiKey: string;
  /** The token this session made from an email and password, revoked at logout; null for a pasted key. */
  ownToken: { userId: string; authorizationId: string } | null;
  csrfToken: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'cupaas_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_LIFETIME_MS = 12 * 3_600_000;
const MAX_SESSIONS = 10_000;

const token = () => randomBytes(32).toString('base64url');

export function sessionIdFrom(headers: IncomingHttpHeaders): string | null {
  for (const part of (headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === SESSION_COOKIE && v) return v;
  }
  return null;
}

/**
 * The token of a dashboard session cookie. The cookie alone never
 * authorizes (a cross-site page could make the browser send it): the request
 * must also carry the session's CSRF token, which only our page can read.
 */
export function sessionToken(headers: IncomingHttpHeaders, sessions: Sessions): string | null {
  const session = sessions.find(sessionIdFrom(headers));
  if (!session) return null;
  if (!csrfMatches(session, headers)) {
    throw new PlatformError('forbidden', 'The dashboard session needs its CSRF token in `X-CSRF-Token`; reload the page.');
  }
  return session.apiKey;
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: Session, headers: IncomingHttpHeaders): boolean {
  const given = Buffer.from(String(headers[CSRF_HEADER] ?? ''));
  const want = Buffer.from(session.csrfToken);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The Set-Cookie value: HttpOnly, SameSite=Strict, and Secure whenever the dashboard is served over HTTPS. */
export function sessionCookie(id: string, secure: boolean, maxAgeSeconds = SESSION_LIFETIME_MS / 1000): string {
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
    create(apiKey: string, ownToken: Session['ownToken'] = null): Session {
      prune();
      // Bounded: the oldest go first (Map keeps insertion order).
      while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value as string);
      const s: Session = { id: token(), apiKey, ownToken, csrfToken: token(), expiresAt: now() + SESSION_LIFETIME_MS };
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

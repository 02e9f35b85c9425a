import type { IncomingMessage } from 'node:http';
import type { User } from '../domain/index.js';
import { PlatformError } from '../shared/errors.js';
import { decoyHash, verifyPassword } from '../shared/password.js';
import { isoTime } from '../shared/time.js';
import type { Store } from '../store/index.js';
import { basicCredentials, bearerToken, createRateLimiter, type Caller, type Route } from './http/index.js';

/** Failed sign-ins allowed per account before one more per minute; per address, five times as many. */
const ACCOUNT_FAILURES = 10;
const ADDRESS_FAILURES = 50;

const INVALID = 'Invalid credentials provided. Run `cupaas login` to sign in again.';
const throttled = () =>
  new PlatformError('rate_limit', 'Too many failed sign-ins from this account or address; retry in a few minutes.');

/**
 * Who is calling: API tokens (Bearer; git sends them as the Basic password)
 * and, only for Heroku's login, email and password. Failures are throttled
 * per address and per account; an unknown email, a wrong password and an
 * account without a password give the same error after the same work.
 */
export function createAuthentication(store: Pick<Store, 'users'>) {
  const byAccount = createRateLimiter(ACCOUNT_FAILURES, 1);
  const byAddress = createRateLimiter(ADDRESS_FAILURES, 5);
  let decoy: Promise<string> | undefined;

  const refuseIfThrottled = (address: string, email?: string) => {
    if (byAddress.peek(address) < 1 || (email !== undefined && byAccount.peek(email) < 1)) throw throttled();
  };
  const failed = (address: string, email?: string): PlatformError => {
    byAddress.take(address);
    if (email !== undefined) byAccount.take(email);
    return new PlatformError('unauthorized', INVALID);
  };

  /**
   * The caller an API token belongs to, unless it is unknown, revoked or
   * expired. A good token always passes: tokens cannot be guessed, so the
   * throttle only stops an address from trying more bad ones (and cannot
   * lock out the users behind a busy address).
   */
  const byToken = (token: string, address: string): Caller => {
    const found = store.users.findByApiKey(token);
    if (found) return { user: found.user, authorizationId: found.authorization.id };
    refuseIfThrottled(address);
    throw failed(address);
  };

  /** The user with this email and password. */
  const byPassword = async (email: string, password: string, address: string): Promise<User> => {
    const account = email.trim().toLowerCase();
    refuseIfThrottled(address, account);
    const user = store.users.find(account);
    const hash = (user && store.users.passwordHash(user.id)) ?? (await (decoy ??= decoyHash()));
    const ok = await verifyPassword(password, hash);
    if (!user || !ok) throw failed(address, account);
    return user;
  };

  /** The user an open invitation code belongs to (codes are as throttled as passwords). */
  const byInvitation = (code: string, address: string): User => {
    refuseIfThrottled(address);
    const user = store.users.findByInvitation(code, isoTime());
    if (!user) throw failed(address);
    return user;
  };

  return {
    byToken,
    byPassword,
    byInvitation,
    /** For the API handler: a Bearer token, or Basic email:password on the login route. */
    async authenticate(req: IncomingMessage, route: Route): Promise<Caller> {
      const address = req.socket.remoteAddress ?? '';
      const token = bearerToken(req.headers);
      if (token) return byToken(token, address);
      const basic = basicCredentials(req.headers);
      if (basic && route.passwordLogin) return { user: await byPassword(basic.user, basic.password, address), authorizationId: null };
      if (basic) {
        throw new PlatformError('unauthorized', 'Basic auth is accepted only by git and `POST /oauth/authorizations`; send `Authorization: Bearer TOKEN`.');
      }
      throw new PlatformError('unauthorized', 'No API key given. Run `cupaas login`, or send `Authorization: Bearer KEY`.');
    },
  };
}

export type Authentication = ReturnType<typeof createAuthentication>;

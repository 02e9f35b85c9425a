/**
 * Accounts on a test platform: users made by the admin over the API, signed
 * in the way `cupaas login` does (Heroku's `POST /oauth/authorizations` with
 * Basic EMAIL:PASSWORD), each with a client that sends their token.
 */
import assert from 'node:assert/strict';
import type { ApiResult, TestPlatform } from './platform.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResult>;
}

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Signs in with email and password; returns the raw answer. */
export const login = (p: TestPlatform, email: string, password: string, body: unknown = { description: 'test login' }) =>
  p.api('POST', '/oauth/authorizations', body, { Authorization: basic(email, password) });

/** A client that sends `token` instead of the admin key. */
export const asToken = (p: TestPlatform, token: string): TestUser['api'] => (method, path, body, headers = {}) =>
  p.api(method, path, body, { Authorization: `Bearer ${token}`, ...headers });

/** Creates a user (platform role `member` unless told) with a password, and signs them in. */
export async function addUser(p: TestPlatform, email: string, role: 'admin' | 'member' = 'member'): Promise<TestUser> {
  const password = `pw-${email}-secret`;
  const created = await p.api('POST', '/users', { email, role, password });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const signedIn = await login(p, email, password);
  assert.equal(signedIn.status, 201, JSON.stringify(signedIn.body));
  const token = signedIn.body.access_token.token as string;
  return { id: created.body.id, email, password, token, api: asToken(p, token) };
}

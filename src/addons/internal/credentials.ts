import type { Credentials } from '../provider.js';

/** Splits a connection URL into its parts (for clients that take them separately). */
export function credentialsFromUrl(url: string): Credentials {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : null,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

/** The URL with `password` in place of the current one. */
export function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

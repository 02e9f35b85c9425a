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

/** The URL with `host` in place of the current host (port, credentials and path kept). */
export function withHost(url: string, host: string): string {
  const u = new URL(url);
  u.hostname = host;
  return u.toString();
}

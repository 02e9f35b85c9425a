import type { App, AppDomain } from '../domain/index.js';

/** The hostname an app answers to by default: `APP.BASE_DOMAIN`. */
export const defaultHostname = (appName: string, baseDomain: string): string => `${appName}.${baseDomain}`.toLowerCase();

/** Hostname → app id for every app's default hostname and custom domains. */
export function buildHostTable(
  apps: readonly Pick<App, 'id' | 'name'>[],
  domains: readonly Pick<AppDomain, 'appId' | 'hostname'>[],
  baseDomain: string,
): Map<string, string> {
  const table = new Map<string, string>();
  for (const d of domains) table.set(d.hostname.toLowerCase(), d.appId);
  // Default hostnames win: a custom domain can never shadow another app's own name.
  for (const a of apps) table.set(defaultHostname(a.name, baseDomain), a.id);
  return table;
}

/**
 * A URL safe to show and log: user name, password and query values become
 * `***`. Not a URL parse error: text that is no URL is fully masked.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '***';
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const key of [...new Set(url.searchParams.keys())]) url.searchParams.set(key, '***');
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/** Whether a URL carries anything `redactUrl` would hide. */
export const hasUrlSecrets = (raw: string): boolean => redactUrl(raw) !== raw;

import { PlatformError } from '../../shared/errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * Config vars as pods must see them. Add-ons outside the platform host are
 * used by URL as they are. Add-ons served on the platform host's loopback are
 * unreachable from a pod: their host is rewritten to `platformHost` (the
 * address pods reach the platform host at), or, when none is configured, the
 * app is refused with a message saying what to set.
 */
export function podReachableConfig(
  config: Readonly<Record<string, string>>,
  addonVarNames: readonly string[],
  platformHost: string | null,
): Record<string, string> {
  const out = { ...config };
  for (const name of addonVarNames) {
    const value = config[name];
    if (value === undefined) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      continue; // not a URL (a user name, a port): nothing to reach
    }
    if (!LOOPBACK.test(url.hostname)) continue;
    if (!platformHost) {
      throw new PlatformError(
        'invalid_params',
        `Add-on config var ${name} points at the platform host's loopback, which pods cannot reach. ` +
          'Set CUPAAS_KUBERNETES_PLATFORM_HOST to the address pods reach this host at (and serve add-ons there), or attach an external add-on by URL.',
      );
    }
    url.hostname = platformHost;
    out[name] = url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
  }
  return out;
}

import { isIP } from 'node:net';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildEnvOptions } from '../env.js';

/** A configured mirror's TCP address, and where the build reaches it inside its loopback-only network. */
export interface MirrorEndpoint {
  /** The mirror as the host reaches it. */
  host: string;
  port: number;
  /** The loopback address inside the sandbox the relay listens on (same port). */
  listen: string;
}

/** How a build reaches the configured package mirrors, and nothing else. */
export interface MirrorPlan {
  endpoints: MirrorEndpoint[];
  /** /etc/hosts entries inside the sandbox: a mirror's name on its loopback address. */
  hosts: { address: string; name: string }[];
  /** Local mirrors (wheel dirs, `file://` indexes): shown read-only. */
  paths: string[];
  /** The mirror settings as the build must see them (a non-loopback IP literal is rewritten to its loopback address). */
  env: Pick<BuildEnvOptions, 'npmRegistry' | 'pipIndexUrl' | 'pipFindLinks'>;
}

/**
 * Where npm and pip download from when the host configures no mirror: the
 * public registries (pip's index serves its files from a second host).
 */
export const PUBLIC_REGISTRIES = {
  npm: 'https://registry.npmjs.org/',
  pip: ['https://pypi.org/simple/', 'https://files.pythonhosted.org/'],
} as const;

const isLoopbackV4 = (host: string) => isIP(host) === 4 && host.startsWith('127.');

/**
 * Plans the way out of a build's private network: each http(s) mirror the
 * host configures (npm registry, pip index, pip find-links; the public
 * registries where it configures none) gets a loopback
 * address inside the sandbox where a relay listens on the mirror's port and
 * forwards to the host, which connects to that mirror only. The URL itself
 * stays as configured (TLS names keep matching): a name is mapped in
 * /etc/hosts, 127.x is used as is; another IP literal is rewritten.
 */
export function planMirrors(opts: Pick<BuildEnvOptions, 'npmRegistry' | 'pipIndexUrl' | 'pipFindLinks'>): MirrorPlan {
  const plan: MirrorPlan = { endpoints: [], hosts: [], paths: [], env: { ...opts } };
  let next = 10;
  const rewrite = (value: string): string => {
    const url = isAbsolute(value) ? null : URL.canParse(value) ? new URL(value) : null;
    if (isAbsolute(value) || url?.protocol === 'file:') {
      plan.paths.push(url ? fileURLToPath(url) : value);
      return value;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return value;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const known = plan.endpoints.find((e) => e.host === host && e.port === port);
    const listen = known?.listen ?? (host === 'localhost' ? '127.0.0.1' : isLoopbackV4(host) ? host : `127.0.0.${next++}`);
    if (!known) {
      plan.endpoints.push({ host, port, listen });
      if (!isIP(host) && host !== 'localhost') plan.hosts.push({ address: listen, name: host });
    }
    if (!isIP(host) || isLoopbackV4(host)) return value;
    url.hostname = listen;
    return url.toString();
  };
  const each = (value: string | null) => (value ? value.split(/\s+/).filter(Boolean).map(rewrite).join(' ') : value);
  plan.env = { npmRegistry: each(opts.npmRegistry), pipIndexUrl: each(opts.pipIndexUrl), pipFindLinks: each(opts.pipFindLinks) };
  // Without a mirror, the tools' own defaults are the way out (their env stays unset, so they use them).
  if (!opts.npmRegistry) each(PUBLIC_REGISTRIES.npm);
  if (!opts.pipIndexUrl) PUBLIC_REGISTRIES.pip.forEach(each);
  return plan;
}

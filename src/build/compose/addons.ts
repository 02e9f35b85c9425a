import { canonicalService, type ProcessRun, type ServiceName } from '../../domain/index.js';
import type { AddonPart, ComposeEnvValue } from './model.js';

/**
 * The database or cache an image is (`postgres:16`, `docker.io/library/redis:7-alpine`,
 * `bitnami/postgresql`, `mariadb:11`), or null: the last path component of
 * the repository, without tag or digest, looked up in the service catalogue.
 */
export function addonKindOfImage(image: string): ServiceName | null {
  const repo = image.split('@', 1)[0] as string;
  const last = repo.slice(repo.lastIndexOf('/') + 1);
  return canonicalService(last.split(':', 1)[0] as string);
}

/** `X_HOST` names the host of an add-on; its siblings name the other parts. */
const SIBLINGS: ReadonlyArray<readonly [string, AddonPart]> = [
  ['PORT', 'port'], ['USER', 'user'], ['USERNAME', 'user'], ['PASSWORD', 'password'],
  ['DB', 'database'], ['NAME', 'database'], ['DATABASE', 'database'],
];

function hostOfUrl(value: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return null;
  try {
    return new URL(value).hostname;
  } catch {
    return null;
  }
}

/**
 * Rewrites environment values that point at a compose service which became an
 * add-on into references to that add-on: a URL whose host is the service
 * (`postgres://u:p@db/app`), the bare name (`REDIS_HOST=redis`) or `name:port`;
 * then `X_PORT`, `X_USER`, `X_PASSWORD`, `X_DB`... beside a resolved `X_HOST`.
 * The add-on has its own address and credentials, so compose's are dropped.
 */
export function referAddons(env: Readonly<Record<string, string>>, addons: ReadonlySet<string>): Record<string, ComposeEnvValue> {
  const out: Record<string, ComposeEnvValue> = { ...env };
  const hosts = new Map<string, string>();
  for (const [key, value] of Object.entries(env)) {
    const urlHost = hostOfUrl(value);
    if (urlHost !== null && addons.has(urlHost)) out[key] = { addon: urlHost, part: 'url' };
    else if (addons.has(value)) out[key] = { addon: value, part: 'host' };
    else if (addons.has(value.split(':', 1)[0] as string) && /^[^:]+:\d+$/.test(value)) {
      out[key] = { addon: value.split(':', 1)[0] as string, part: 'hostport' };
    } else continue;
    if (key.endsWith('_HOST') && typeof out[key] === 'object') hosts.set(key.slice(0, -'_HOST'.length), (out[key] as { addon: string }).addon);
  }
  for (const [prefix, addon] of hosts) {
    for (const [suffix, part] of SIBLINGS) if (`${prefix}_${suffix}` in env) out[`${prefix}_${suffix}`] = { addon, part };
  }
  return out;
}

/** The value an add-on reference stands for, taken from the add-on's URL. */
export function addonPart(url: string, part: AddonPart): string {
  if (part === 'url') return url;
  const u = new URL(url);
  const port = u.port || ({ 'postgres:': '5432', 'postgresql:': '5432', 'redis:': '6379', 'rediss:': '6379', 'mysql:': '3306', 'mongodb:': '27017' } as Record<string, string>)[u.protocol] || '';
  switch (part) {
    case 'host': return u.hostname;
    case 'port': return port;
    case 'hostport': return `${u.hostname}:${port}`;
    case 'user': return decodeURIComponent(u.username);
    case 'password': return decodeURIComponent(u.password);
    case 'database': return decodeURIComponent(u.pathname.replace(/^\//, ''));
  }
}

/**
 * A Compose service's `environment:` as its dynos get it, under the config
 * vars: literals, and parts of an add-on's URL read from the release's config
 * (so a changed add-on URL reaches the dynos with the next release). A
 * reference to a var the config lacks is left out.
 */
export function serviceEnv(env: ProcessRun['env'], config: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === 'string') out[key] = value;
    else if (config[value.configVar]) out[key] = addonPart(config[value.configVar] as string, value.part);
  }
  return out;
}

import { homedir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { DYNO_SIZES } from './dyno-sizes.js';
import { kubernetesConfig, type KubernetesConfig } from './kubernetes.js';

/** What a user may set, by flag or environment; everything is optional. */
export interface UserConfig {
  home?: string;
  listen?: string;
  apiPort?: number;
  routerListen?: string;
  routerPort?: number;
  routerTlsPort?: number;
  baseDomain?: string;
  runtimeDriver?: string;
  buildConcurrency?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface ResolvedConfig {
  /** Root of all platform state: database, repos, slugs, dyno dirs. */
  home: string;
  dbPath: string;
  /** Key that encrypts secrets at rest; a file outside the database. */
  secretKeyPath: string;
  /** The admin credentials file the CLI reads when it has no other key. */
  credentialsPath: string;
  listen: string;
  apiPort: number;
  /** How clients reach the API (git remotes, log URLs). */
  publicApiUrl: string;
  routerListen: string;
  routerPort: number;
  /** The router's HTTPS port (SNI endpoints' certificates, the platform certificate for `*.BASE_DOMAIN`); null: no HTTPS. */
  routerTlsPort: number | null;
  /** TLS port clients attach to one-off dynos on (on `listen`); 0: any free port, named in each attach URL. */
  rendezvousPort: number;
  baseDomain: string;
  /**
   * What moves the router's bytes: HAProxy driven through its Runtime API, or the embedded Node data plane;
   * `auto` (the default): HAProxy when it is installed, else Node.
   */
  routerDataPlane: 'auto' | 'node' | 'haproxy';
  /** HAProxy's threads; null: the plane's default (half the CPUs, at least one: the dynos need the rest). */
  routerThreads: number | null;
  runtimeDriver: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  build: {
    concurrency: number;
    timeoutMs: number;
    maxOutputBytes: number;
    slugRetention: number;
    /** The dyno size whose memory (as a hard limit), CPU and pids limits a sandboxed build gets. */
    size: string;
    /** Directories an admin allows buildpacks to be used from by host path or `file://` URL (none by default). */
    buildpackDirs: readonly string[];
  };
  dyno: {
    bootTimeoutMs: number;
    stopTimeoutMs: number;
    /** The wait before the second restart of a crashing dyno; doubles per crash up to the max. */
    crashBackoffBaseMs: number;
    crashBackoffMaxMs: number;
  };
  /** How the local runtime isolates dynos (see src/runtime/local/sandbox). */
  sandbox: {
    /** `auto`: sandbox every protection this host supports; `off`: plain processes. */
    mode: 'auto' | 'off';
    /** Whether each sandboxed dyno gets its own network namespace (private /30). */
    privateNetwork: boolean;
    /** CIDR the per-dyno /30s are carved from; used only between the host and dyno namespaces. */
    addressPool: string;
    /** The unprivileged system user sandboxed dynos run as (created when missing). */
    user: string;
    /** Private networks kept wired ahead of need, so new dynos start without waiting for `ip` (0: wire each on demand). */
    warmNetworks: number;
  };
  /** Autoscaling of web dynos: how often policies are evaluated, over which window, and the cool-downs. */
  autoscale: {
    intervalMs: number;
    windowMs: number;
    scaleOutCooldownMs: number;
    scaleInCooldownMs: number;
  };
  /** The platform's own PATH, for the tools it runs itself (git, pg_dump); never given to builds or dynos. */
  hostPath: string;
  /**
   * The stack's PATH: what builds and dynos run with. System directories only,
   * so an app never depends on the operator's shell (pyenv, nvm under /root)
   * that a sandboxed dyno cannot see.
   */
  stackPath: string;
  /** The npm registry mirror to use for builds, when the host sets one. */
  npmRegistry: string | null;
  /** OCI images of releases and the Docker engine (src/images, the `docker` runtime). */
  images: {
    /** Make an image of every slug release even when the runtime runs slugs (`CUPAAS_IMAGES=on`). */
    always: boolean;
    /** The Docker engine's API socket. */
    dockerSocket: string;
    /** An existing registry to push to instead of the platform's own (`host:port`, no scheme). */
    registryUrl: string | null;
    /** The loopback port of the platform's own registry. */
    registryPort: number;
    /** Memory limit of one Dockerfile build. */
    buildMemoryMb: number;
    /** A registry outside the platform that every tag is also pushed to (null: none). */
    mirror: { url: string; username: string; password: string } | null;
  };
  /** The `swarm` runtime (src/runtime/swarm). */
  swarm: {
    /** A swarm manager's Engine API: `unix:///path` or `tcp://host:port` (`CUPAAS_SWARM_HOST`, else `DOCKER_HOST`). */
    dockerHost: string;
    /** This machine's address as the nodes reach it, where add-on servers also listen (null: discovered). */
    servicesAddress: string | null;
  };
  /** The pip index (a PyPI mirror) builds install from, when the host sets one; an app's `PIP_INDEX_URL` wins. */
  pipIndexUrl: string | null;
  /** Extra places (wheel directories or pages) pip finds packages in; an app's `PIP_FIND_LINKS` wins. */
  pipFindLinks: string | null;
  /**
   * Drain destinations an admin allows despite the default refusal of this
   * machine, private and reserved ranges (`CUPAAS_DRAIN_ALLOW`: host names,
   * addresses, CIDR ranges, comma-separated).
   */
  drainAllow: readonly string[];
  /** Directories `file://` repository connections may read (`CUPAAS_REPO_FILE_DIRS`, `:`-separated); none by default. */
  repoFileDirs: readonly string[];
  kubernetes: KubernetesConfig;
}

/** The stack's PATH unless `CUPAAS_STACK_PATH` says otherwise. */
export const DEFAULT_STACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

type Env = Readonly<Record<string, string | undefined>>;

function intFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
}

const listFrom = (value: string | undefined, separator: string): string[] =>
  (value ?? '').split(separator).map((s) => s.trim()).filter(Boolean);
/** HAProxy runs 1 to 64 threads. */
const threadsFrom = (value: number | undefined): number | null => {
  if (value === undefined) return null;
  if (value < 1 || value > 64) throw new Error(`CUPAAS_ROUTER_THREADS must be between 1 and 64, got ${value}`);
  return value;
};
/**
 * Ten: a scale-out or a deploy of up to ten dynos waits for no `ip` program. Each spare is a
 * network namespace and a veth pair, no process: a few tens of KB of kernel memory.
 */
const warmNetworksFrom = (value: number | undefined): number => {
  if (value === undefined) return 10;
  if (value > 100) throw new Error(`CUPAAS_SANDBOX_WARM_NETWORKS must be between 0 and 100, got ${value}`);
  return value;
};
/** HTTPS is on only when a port is given (0: any free one). */
const tlsPortFrom = (value: number | undefined): number | null => (value === undefined ? null : portFrom(value, 0, 'router TLS port'));

function portFrom(value: number | undefined, fallback: number, name: string): number {
  const p = value ?? fallback;
  if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`${name} must be a port from 0 to 65535, got ${p}`);
  return p;
}

/** Flags win over environment, environment over defaults. */
export function resolveConfig(flags: UserConfig = {}, env: Env = process.env): Readonly<ResolvedConfig> {
  const home = resolvePath(flags.home ?? env.CUPAAS_HOME ?? join(homedir(), '.cupaas'));
  const seconds = (name: string, fallback: number) => (intFrom(env[name], name) ?? fallback) * 1000;
  const config: ResolvedConfig = {
    home,
    dbPath: join(home, 'state.db'),
    secretKeyPath: resolvePath(env.CUPAAS_SECRET_KEY_FILE ?? join(home, 'secret.key')),
    credentialsPath: join(home, 'credentials.json'),
    listen: flags.listen ?? env.CUPAAS_LISTEN ?? '127.0.0.1',
    apiPort: portFrom(flags.apiPort ?? intFrom(env.CUPAAS_API_PORT, 'CUPAAS_API_PORT'), 5000, 'API port'),
    publicApiUrl: '',
    routerListen: flags.routerListen ?? env.CUPAAS_ROUTER_LISTEN ?? '127.0.0.1',
    routerPort: portFrom(flags.routerPort ?? intFrom(env.CUPAAS_ROUTER_PORT, 'CUPAAS_ROUTER_PORT'), 8080, 'router port'),
    routerTlsPort: tlsPortFrom(flags.routerTlsPort ?? intFrom(env.CUPAAS_ROUTER_TLS_PORT, 'CUPAAS_ROUTER_TLS_PORT')),
    rendezvousPort: portFrom(intFrom(env.CUPAAS_RENDEZVOUS_PORT, 'CUPAAS_RENDEZVOUS_PORT'), 0, 'rendezvous port'),
    baseDomain: flags.baseDomain ?? env.CUPAAS_BASE_DOMAIN ?? 'localhost',
    routerDataPlane: oneOf(env.CUPAAS_ROUTER_DATA_PLANE, ['auto', 'node', 'haproxy'] as const, 'CUPAAS_ROUTER_DATA_PLANE') ?? 'auto',
    routerThreads: threadsFrom(intFrom(env.CUPAAS_ROUTER_THREADS, 'CUPAAS_ROUTER_THREADS')),
    runtimeDriver: flags.runtimeDriver ?? env.CUPAAS_RUNTIME ?? 'local',
    logLevel: flags.logLevel ?? (env.CUPAAS_LOG_LEVEL as ResolvedConfig['logLevel'] | undefined) ?? 'info',
    build: {
      concurrency: flags.buildConcurrency ?? intFrom(env.CUPAAS_BUILD_CONCURRENCY, 'CUPAAS_BUILD_CONCURRENCY') ?? 2,
      timeoutMs: seconds('CUPAAS_BUILD_TIMEOUT', 15 * 60),
      maxOutputBytes: intFrom(env.CUPAAS_BUILD_MAX_OUTPUT, 'CUPAAS_BUILD_MAX_OUTPUT') ?? 50 * 1024 * 1024,
      slugRetention: intFrom(env.CUPAAS_SLUG_RETENTION, 'CUPAAS_SLUG_RETENTION') ?? 10,
      size: oneOf(env.CUPAAS_BUILD_SIZE, DYNO_SIZES.map((s) => s.name), 'CUPAAS_BUILD_SIZE') ?? 'standard-1x',
      buildpackDirs: Object.freeze((env.CUPAAS_BUILDPACK_DIRS ?? '').split(':').filter(Boolean).map((d) => resolvePath(d))),
    },
    dyno: {
      bootTimeoutMs: seconds('CUPAAS_BOOT_TIMEOUT', 60),
      stopTimeoutMs: seconds('CUPAAS_STOP_TIMEOUT', 30),
      crashBackoffBaseMs: seconds('CUPAAS_CRASH_BACKOFF_BASE', 10),
      crashBackoffMaxMs: seconds('CUPAAS_CRASH_BACKOFF_MAX', 20 * 60),
    },
    sandbox: {
      mode: oneOf(env.CUPAAS_SANDBOX, ['auto', 'off'] as const, 'CUPAAS_SANDBOX') ?? 'auto',
      privateNetwork: (oneOf(env.CUPAAS_SANDBOX_NETWORK, ['on', 'off'] as const, 'CUPAAS_SANDBOX_NETWORK') ?? 'on') === 'on',
      addressPool: env.CUPAAS_SANDBOX_ADDRESS_POOL ?? '172.16.0.0/12',
      user: env.CUPAAS_SANDBOX_USER ?? 'cupaas-dyno',
      warmNetworks: warmNetworksFrom(intFrom(env.CUPAAS_SANDBOX_WARM_NETWORKS, 'CUPAAS_SANDBOX_WARM_NETWORKS')),
    },
    autoscale: {
      intervalMs: seconds('CUPAAS_AUTOSCALE_INTERVAL', 15),
      windowMs: seconds('CUPAAS_AUTOSCALE_WINDOW', 60),
      scaleOutCooldownMs: seconds('CUPAAS_AUTOSCALE_OUT_COOLDOWN', 60),
      scaleInCooldownMs: seconds('CUPAAS_AUTOSCALE_IN_COOLDOWN', 180),
    },
    hostPath: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    stackPath: env.CUPAAS_STACK_PATH || DEFAULT_STACK_PATH,
    npmRegistry: env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY ?? null,
    images: {
      always: (oneOf(env.CUPAAS_IMAGES, ['on', 'off'] as const, 'CUPAAS_IMAGES') ?? 'off') === 'on',
      dockerSocket: env.CUPAAS_DOCKER_SOCKET || '/var/run/docker.sock',
      registryUrl: env.CUPAAS_REGISTRY_URL?.replace(/^\w+:\/\//, '').replace(/\/+$/, '') || null,
      registryPort: portFrom(intFrom(env.CUPAAS_REGISTRY_PORT, 'CUPAAS_REGISTRY_PORT'), 5001, 'registry port'),
      buildMemoryMb: intFrom(env.CUPAAS_BUILD_MEMORY, 'CUPAAS_BUILD_MEMORY') ?? 2048,
      mirror: env.CUPAAS_REGISTRY_MIRROR_URL
        ? {
            url: env.CUPAAS_REGISTRY_MIRROR_URL.replace(/^\w+:\/\//, '').replace(/\/+$/, ''),
            username: env.CUPAAS_REGISTRY_MIRROR_USER ?? '',
            password: env.CUPAAS_REGISTRY_MIRROR_PASSWORD ?? '',
          }
        : null,
    },
    swarm: {
      dockerHost: env.CUPAAS_SWARM_HOST || env.DOCKER_HOST || 'unix:///var/run/docker.sock',
      servicesAddress: env.CUPAAS_SWARM_SERVICES_ADDRESS || null,
    },
    pipIndexUrl: env.CUPAAS_PIP_INDEX_URL || env.PIP_INDEX_URL || null,
    pipFindLinks: env.CUPAAS_PIP_FIND_LINKS || env.PIP_FIND_LINKS || null,
    drainAllow: listFrom(env.CUPAAS_DRAIN_ALLOW, ','),
    repoFileDirs: listFrom(env.CUPAAS_REPO_FILE_DIRS, ':').map((d) => resolvePath(d)),
    kubernetes: kubernetesConfig(env),
  };
  config.publicApiUrl = (env.CUPAAS_PUBLIC_API_URL ?? defaultApiUrl(config)).replace(/\/+$/, '');
  return Object.freeze(config);
}

/**
 * How a client on this machine reaches a listener bound to `listen:port`:
 * a wildcard bind is reachable on loopback; IPv6 hosts need brackets.
 */
export function localUrl(listen: string, port: number): string {
  const host = ['0.0.0.0', '::', ''].includes(listen) ? '127.0.0.1' : listen;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

const defaultApiUrl = (config: Pick<ResolvedConfig, 'listen' | 'apiPort'>): string => localUrl(config.listen, config.apiPort);

/**
 * The config with the ports the listeners really bound (they differ from the
 * requested ones when those were 0, as in tests).
 */
export function withBoundPorts(
  config: Readonly<ResolvedConfig>,
  bound: { apiPort?: number; routerPort?: number; routerTlsPort?: number | null; rendezvousPort?: number },
): Readonly<ResolvedConfig> {
  const next = { ...config, ...bound };
  if (bound.apiPort !== undefined && config.publicApiUrl === defaultApiUrl(config)) {
    next.publicApiUrl = defaultApiUrl(next);
  }
  return Object.freeze(next);
}

/**
 * The URL an app is served at, e.g. `http://myapp.localhost:8080/` by the
 * router; with the kubernetes runtime and the control plane outside the
 * cluster, the cluster's Ingress serves the app's hostnames on its own port.
 */
export function appWebUrl(
  config: Pick<ResolvedConfig, 'baseDomain' | 'routerPort'> & Partial<Pick<ResolvedConfig, 'runtimeDriver' | 'kubernetes'>>,
  appName: string,
): string {
  const byIngress = config.runtimeDriver === 'kubernetes' && config.kubernetes && !config.kubernetes.inCluster;
  const served = byIngress ? config.kubernetes!.ingressPort : config.routerPort;
  const port = served === 80 ? '' : `:${served}`;
  return `http://${appName}.${config.baseDomain}${port}/`;
}

import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import tls from 'node:tls';

/** Where the Docker engine looks for a registry's own CAs: `<dir>/<host[:port]>/*.crt`. */
export const DOCKER_CERTS_DIR = '/etc/docker/certs.d';

const TIMEOUT_MS = 5000;

export interface RegistryRequest {
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Docker's per-registry CA directory (tests point it elsewhere). */
  certsDir?: string;
}

/**
 * The status a registry answers `path` of its distribution API with, asked
 * as the engine asks: over HTTPS first, trusting the CAs the engine trusts for
 * that registry (the public ones Node carries, and `/etc/docker/certs.d/<host>/*.crt`), and
 * over plain HTTP only when the registry does not speak TLS at all (a
 * loopback or `insecure-registries` one). A certificate the CAs do not vouch
 * for is an error, never a reason to fall back to HTTP. No credentials are
 * sent: callers only ask what exists, so 401 is an answer too.
 */
export async function registryStatus(host: string, path: string, opts: RegistryRequest = {}): Promise<number> {
  // Not remembered per host: the questions are rare, and a registry may be given TLS while the server runs.
  try {
    return await ask('https', host, path, opts);
  } catch (e) {
    if (!speaksPlainHttp(e)) throw e;
  }
  return ask('http', host, path, opts);
}

/** What a registry answers its API root (`/v2/`) with: 200, or 401 when it wants a password. */
export const isRegistryAnswer = (status: number): boolean => status === 200 || status === 401;

/** Whether a registry answers its API root (see `isRegistryAnswer`). */
export async function registryAnswers(host: string, opts: RegistryRequest = {}): Promise<boolean> {
  try {
    return isRegistryAnswer(await registryStatus(host, '/v2/', { timeoutMs: 2000, ...opts }));
  } catch {
    return false;
  }
}

/** OpenSSL's complaint when the other end answers a TLS hello with something else (an HTTP server's 400). */
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'EPROTO']);

function speaksPlainHttp(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return NOT_TLS.has(code) || /wrong version number|packet length too long/i.test((e as Error).message ?? '');
}

/** The CAs for a registry: the public ones Node carries, plus the engine's for that host (undefined, Node's default, without any). */
function casFor(host: string, certsDir: string): string[] | undefined {
  let files: string[];
  try {
    files = readdirSync(join(certsDir, host)).filter((f) => f.endsWith('.crt'));
  } catch {
    return undefined;
  }
  return files.length ? [...tls.rootCertificates, ...files.map((f) => readFileSync(join(certsDir, host, f), 'utf8'))] : undefined;
}

/**
 * `host[:port]` as an image reference names a registry: DNS labels or an IPv4
 * address, or an IPv6 one in brackets. Anything else is refused before it is
 * used, also as a directory name under the CA directory (`..` included).
 */
const REGISTRY_HOST = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*))(?::(\d{1,5}))?$/;

function splitHost(host: string): { hostname: string; port: number | undefined } {
  const m = REGISTRY_HOST.exec(host);
  if (!m) throw new Error(`not a registry host: ${JSON.stringify(host)}`);
  return { hostname: (m[1] ?? m[2]) as string, port: m[3] ? Number(m[3]) : undefined };
}

function ask(scheme: 'https' | 'http', host: string, path: string, opts: RegistryRequest): Promise<number> {
  const { hostname, port } = splitHost(host);
  const options = {
    hostname, port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {},
    timeout: opts.timeoutMs ?? TIMEOUT_MS,
    // A connection per question: they are rare (doctor, a dyno waiting on a push), and none is left open.
    agent: false,
    ...(scheme === 'https' ? { ca: casFor(host, opts.certsDir ?? DOCKER_CERTS_DIR) } : {}),
  };
  return new Promise<number>((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    };
    const req = scheme === 'https' ? httpsRequest(options, onResponse) : httpRequest(options, onResponse);
    req.on('timeout', () => req.destroy(new Error(`${host} did not answer within ${options.timeout} ms`)));
    req.on('error', reject);
    req.end();
  });
}

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';

export interface ClientConfig {
  apiUrl: string;
  /** A key given explicitly (CUPAAS_API_KEY or HEROKU_API_KEY). */
  apiKey: string | null;
  /** Where a local platform keeps its admin credentials. */
  credentialsPath: string;
  netrcPath: string;
  /** The platform CA of a local server (`$CUPAAS_HOME/tls/ca.pem`), trusted for attaching to one-off dynos. */
  caPath: string;
  color: boolean;
  /** The CLI's own environment, passed on to programs it opens for the user (database clients). */
  env: Readonly<Record<string, string | undefined>>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The API URL a server running on this home recorded at start (it may have bound another port). */
function localServerApiUrl(home: string): string | null {
  try {
    return (JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { apiUrl?: string }).apiUrl ?? null;
  } catch {
    return null;
  }
}

/** CUPAAS_API_URL wins; else the server of this machine's CUPAAS_HOME; else the default port. */
export function resolveClientConfig(env: Env = process.env): Readonly<ClientConfig> {
  const home = resolvePath(env.CUPAAS_HOME ?? join(homedir(), '.cupaas'));
  return Object.freeze({
    apiUrl: (env.CUPAAS_API_URL || localServerApiUrl(home) || 'http://127.0.0.1:5000').replace(/\/+$/, ''),
    apiKey: env.CUPAAS_API_KEY || env.HEROKU_API_KEY || null,
    credentialsPath: join(home, 'credentials.json'),
    netrcPath: env.NETRC ?? join(env.HOME ?? homedir(), '.netrc'),
    caPath: join(home, 'tls', 'ca.pem'),
    color: !env.NO_COLOR && env.TERM !== 'dumb',
    env,
  });
}

import { homedir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';

export interface ClientConfig {
  apiUrl: string;
  /** A key given explicitly (CUPAAS_API_KEY or HEROKU_API_KEY). */
  apiKey: string | null;
  /** Where a local platform keeps its admin credentials. */
  credentialsPath: string;
  netrcPath: string;
  color: boolean;
  /** The CLI's own environment, passed on to programs it opens for the user (database clients). */
  env: Readonly<Record<string, string | undefined>>;
}

type Env = Readonly<Record<string, string | undefined>>;

export function resolveClientConfig(env: Env = process.env): Readonly<ClientConfig> {
  const home = resolvePath(env.CUPAAS_HOME ?? join(homedir(), '.cupaas'));
  return Object.freeze({
    apiUrl: (env.CUPAAS_API_URL ?? 'http://127.0.0.1:5000').replace(/\/+$/, ''),
    apiKey: env.CUPAAS_API_KEY || env.HEROKU_API_KEY || null,
    credentialsPath: join(home, 'credentials.json'),
    netrcPath: env.NETRC ?? join(env.HOME ?? homedir(), '.netrc'),
    color: !env.NO_COLOR && env.TERM !== 'dumb',
    env,
  });
}

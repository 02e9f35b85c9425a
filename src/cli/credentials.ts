import { existsSync, readFileSync } from 'node:fs';
import type { ClientConfig } from '../config/index.js';
import { readNetrcEntry } from './netrc.js';

export type KeySource = 'environment' | 'netrc' | 'local-credentials';

export interface ResolvedKey {
  key: string;
  source: KeySource;
}

export const apiHost = (apiUrl: string): string => new URL(apiUrl).hostname;

/**
 * The API key to use: an explicit one from the environment, else the netrc
 * entry for the API's host (what `cupaas login` writes and git reads), else
 * the admin credentials a local server wrote into CUPAAS_HOME.
 */
export function resolveApiKey(config: ClientConfig): ResolvedKey | null {
  if (config.apiKey) return { key: config.apiKey, source: 'environment' };
  const entry = readNetrcEntry(config.netrcPath, apiHost(config.apiUrl));
  if (entry?.password) return { key: entry.password, source: 'netrc' };
  if (existsSync(config.credentialsPath)) {
    const creds = JSON.parse(readFileSync(config.credentialsPath, 'utf8')) as { apiKey?: string };
    if (creds.apiKey) return { key: creds.apiKey, source: 'local-credentials' };
  }
  return null;
}

import { writeFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/index.js';
import { newSecret } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/index.js';

export interface LocalCredentials {
  apiUrl: string;
  email: string;
  apiKey: string;
}

/**
 * On the first start of a home: creates the admin user and its API key and
 * writes them (mode 0600) where the CLI on this machine finds them.
 */
export function ensureAdmin(
  store: Pick<Store, 'users' | 'transaction'>,
  config: Pick<ResolvedConfig, 'credentialsPath' | 'publicApiUrl'>,
  logger: Logger,
): LocalCredentials | null {
  if (store.users.count() > 0) return null;
  const email = 'admin@cupaas.local';
  const apiKey = `cpk_${newSecret(24)}`;
  store.transaction(() => {
    const user = store.users.create(email, 'admin', 'admin');
    store.users.addApiKey(user.id, apiKey, 'created at first start');
  });
  const creds: LocalCredentials = { apiUrl: config.publicApiUrl, email, apiKey };
  writeFileSync(config.credentialsPath, JSON.stringify(creds, null, 2) + '\n', { mode: 0o600 });
  logger.info('created admin user; its API key is in the credentials file (the CLI on this machine uses it)', {
    email,
    credentials: config.credentialsPath,
  });
  return creds;
}

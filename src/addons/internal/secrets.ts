import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { newSecret } from '../../shared/ids.js';

/** A strong random password: URL-, SQL- and config-file-safe characters only. */
export const newPassword = (): string => newSecret(24);

/** The secret in `path` (mode 0600), created on first use. */
export function fileSecret(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = newPassword();
  writeFileSync(path, secret + '\n', { mode: 0o600, flag: 'wx' });
  return secret;
}

/** SQL string literal (the passwords we make never need it, but names from elsewhere might). */
export const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A database, role or user name for an add-on: `a_` and the add-on id's hex digits. */
export const resourceName = (addonId: string): string => `a_${addonId.replace(/[^0-9a-f]/gi, '').toLowerCase()}`;

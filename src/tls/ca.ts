import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../shared/process.js';
import { isoTime } from '../shared/time.js';

export interface PlatformCa {
  /** `$CUPAAS_HOME/tls/ca.pem`: the file clients are told to trust. */
  readonly certPath: string;
  readonly certPem: string;
  /** Private key (PEM), readable by the platform's user only. */
  readonly keyPem: string;
  readonly keyPath: string;
}

const CA_DAYS = 3650;

/** Where the platform CA certificate of this home lives (whether or not it exists yet). */
export const platformCaPath = (home: string): string => join(home, 'tls', 'ca.pem');

/**
 * Loads the platform CA of this home, creating it the first time. The key is
 * written 0600 in a 0700 directory; both files appear by rename, so a crash
 * mid-creation leaves no half-written CA behind.
 */
export async function ensurePlatformCa(home: string): Promise<PlatformCa> {
  const dir = join(home, 'tls');
  const certPath = platformCaPath(home);
  const keyPath = join(dir, 'ca-key.pem');
  const existing = await load(certPath, keyPath);
  if (existing) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const tmpCert = `${certPath}.${process.pid}.tmp`;
  const tmpKey = `${keyPath}.${process.pid}.tmp`;
  try {
    await runChecked([
      'openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', tmpKey, '-out', tmpCert, '-days', String(CA_DAYS),
      '-subj', `/O=cupaas/CN=cupaas platform CA ${isoTime().slice(0, 10)}`,
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await chmod(tmpKey, 0o600);
    // Key first: a cert without its key would be taken for a complete CA.
    await rename(tmpKey, keyPath);
    await rename(tmpCert, certPath);
  } finally {
    await rm(tmpCert, { force: true });
    await rm(tmpKey, { force: true });
  }
  const created = await load(certPath, keyPath);
  if (!created) throw new Error(`platform CA was not written to ${dir}`);
  return created;
}

async function load(certPath: string, keyPath: string): Promise<PlatformCa | undefined> {
  let certPem: string;
  let keyPem: string;
  try {
    [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (!new X509Certificate(certPem).ca) throw new Error(`${certPath} is not a CA certificate; move it away to create a new one`);
  return { certPath, certPem, keyPath, keyPem };
}

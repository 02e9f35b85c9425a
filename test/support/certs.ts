/**
 * Real X.509 certificates for tests, made by the `openssl` program (argv
 * only) in a temp dir: a test CA and leaves it signs, or self-signed ones.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../../src/shared/process.js';
import { tempDir } from './temp.js';

export interface TestCertificate {
  chainPem: string;
  keyPem: string;
}

export interface TestCa {
  certPem: string;
  /** A leaf for `names` signed by this CA, valid for `days` (default 30). */
  issue(names: readonly string[], opts?: { days?: number }): Promise<TestCertificate>;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
let serial = 0;

async function leaf(dir: string, names: readonly string[], days: number, signer: string[]): Promise<TestCertificate> {
  const n = ++serial;
  const [key, cert] = [join(dir, `leaf-${n}.key`), join(dir, `leaf-${n}.crt`)];
  await runChecked([
    'openssl', 'req', '-x509', ...EC, '-keyout', key, '-out', cert, '-days', String(days), '-subj', `/CN=${names[0]}`,
    ...signer, '-addext', `subjectAltName=${names.map((x) => `DNS:${x}`).join(',')}`, '-addext', 'basicConstraints=critical,CA:FALSE',
  ]);
  return { chainPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

export async function createTestCa(): Promise<TestCa> {
  const dir = tempDir('cupaas-test-ca');
  const [key, cert] = [join(dir, 'ca.key'), join(dir, 'ca.crt')];
  await runChecked([
    'openssl', 'req', '-x509', ...EC, '-keyout', key, '-out', cert, '-days', '30', '-subj', '/CN=cupaas test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
  ]);
  return {
    certPem: readFileSync(cert, 'utf8'),
    issue: (names, opts = {}) => leaf(dir, names, opts.days ?? 30, ['-CA', cert, '-CAkey', key]),
  };
}

/** A self-signed certificate for `names`. */
export const selfSigned = (names: readonly string[]): Promise<TestCertificate> => leaf(tempDir('cupaas-test-cert'), names, 30, []);

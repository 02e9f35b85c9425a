import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChecked } from '../shared/process.js';
import type { PlatformCa } from './ca.js';

export interface IssueOptions {
  /** DNS names (`*.example.com` allowed) and IP addresses the certificate is valid for; the first is the CN. */
  names: readonly string[];
  /** Validity in days (default 397, the longest browsers accept for a leaf). */
  days?: number;
}

export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
  /** The leaf followed by the CA certificate, as a server sends it. */
  chainPem: string;
  notAfter: Date;
}

const NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** Signs a fresh P-256 server certificate for `names` with the platform CA. */
export async function issueCertificate(ca: PlatformCa, opts: IssueOptions): Promise<IssuedCertificate> {
  const [first] = opts.names;
  if (!first) throw new Error('issueCertificate: at least one name is required');
  const san = opts.names.map((n) => {
    if (isIP(n)) return `IP:${n}`;
    // The names go into an openssl argument: refuse anything but hostnames.
    if (!NAME.test(n) || n.length > 253) throw new Error(`issueCertificate: not a hostname or IP address: ${JSON.stringify(n)}`);
    return `DNS:${n}`;
  });
  const dir = await mkdtemp(join(tmpdir(), 'cupaas-cert-'));
  try {
    const caKey = join(dir, 'ca-key.pem');
    await writeFile(caKey, ca.keyPem, { mode: 0o600 });
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await runChecked([
      'openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', String(opts.days ?? 397),
      '-subj', `/CN=${first}`, '-CA', ca.certPath, '-CAkey', caKey,
      '-addext', `subjectAltName=${san.join(',')}`,
      '-addext', 'basicConstraints=critical,CA:FALSE',
      '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment',
      '-addext', 'extendedKeyUsage=serverAuth',
    ]);
    const [certPem, keyPem] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
    return { certPem, keyPem, chainPem: certPem + ca.certPem, notAfter: new Date(new X509Certificate(certPem).validTo) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

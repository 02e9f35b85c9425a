import { createPrivateKey, X509Certificate } from 'node:crypto';
// `tls.rootCertificates` is a getter that builds ~140 PEM strings: read on first need, not imported by name (scripts/bundle-server.mjs).
import tls from 'node:tls';
import { invalid } from '../shared/errors.js';
import { isoTime } from '../shared/time.js';

/** One certificate a data plane serves: chosen by SNI against `names`. */
export interface TlsCertificate {
  /** Stable while the certificate is installed (an SNI endpoint's id, or `platform`). */
  id: string;
  /** DNS names it covers (`*.example.com` for a wildcard), lowercase. */
  names: readonly string[];
  /** PEM: leaf first, then intermediates. */
  chainPem: string;
  keyPem: string;
}

/** What the API shows about a certificate (Heroku's `ssl_cert`). */
export interface CertificateInfo {
  names: string[];
  subject: string;
  issuer: string;
  startsAt: string;
  expiresAt: string;
  selfSigned: boolean;
  caSigned: boolean;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const MAX_CHAIN_BYTES = 64 * 1024;
const MAX_KEY_BYTES = 16 * 1024;

/** The certificates of a PEM chain, leaf first. */
function parseChain(chainPem: string): X509Certificate[] {
  const blocks = chainPem.match(PEM_CERT) ?? [];
  try {
    return blocks.map((b) => new X509Certificate(b));
  } catch {
    throw invalid('certificate_chain holds a PEM block that is not a valid X.509 certificate.');
  }
}

/** DNS names a certificate covers: its subjectAltName DNS entries, else its CN. */
function namesOf(cert: X509Certificate): string[] {
  const san = (cert.subjectAltName ?? '').split(/,\s*/).filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4).toLowerCase());
  if (san.length) return san;
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
  return cn ? [cn.toLowerCase()] : [];
}

let roots: X509Certificate[] | undefined;
/** Whether the chain ends at a certificate authority Node trusts (parsed once, on first need). */
function chainsToTrustedRoot(chain: readonly X509Certificate[]): boolean {
  roots ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  const top = chain.at(-1);
  return !!top && roots.some((r) => r.fingerprint256 === top.fingerprint256 || (top.checkIssued(r) && top.verify(r.publicKey)));
}

/** Facts about a chain for listing; the chain was validated when it was stored. */
export function certificateInfo(chainPem: string): CertificateInfo {
  const chain = parseChain(chainPem);
  const leaf = chain[0] as X509Certificate;
  const selfSigned = leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey);
  return {
    names: namesOf(leaf), subject: leaf.subject.replace(/\n/g, ', '), issuer: leaf.issuer.replace(/\n/g, ', '),
    startsAt: isoTime(new Date(leaf.validFrom)), expiresAt: isoTime(new Date(leaf.validTo)),
    selfSigned, caSigned: !selfSigned && chainsToTrustedRoot(chain),
  };
}

/**
 * Checks a certificate chain and private key that a user uploads: PEM, a
 * leaf that covers at least one DNS name and has not expired, each
 * certificate signed by the next, and a key that belongs to the leaf.
 * Returns them normalized (PEM blocks only: the HAProxy Runtime API takes a
 * payload that ends at the first empty line).
 */
export function validateCertificate(chainPem: string, keyPem: string, now = new Date()): { chainPem: string; keyPem: string } {
  if (chainPem.length > MAX_CHAIN_BYTES) throw invalid(`certificate_chain is larger than ${MAX_CHAIN_BYTES / 1024} KB.`);
  if (keyPem.length > MAX_KEY_BYTES) throw invalid(`private_key is larger than ${MAX_KEY_BYTES / 1024} KB.`);
  const chain = parseChain(chainPem);
  const leaf = chain[0];
  if (!leaf) throw invalid('certificate_chain has no PEM certificate (-----BEGIN CERTIFICATE-----).');
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw invalid('private_key is not a valid unencrypted PEM private key.');
  }
  if (!leaf.checkPrivateKey(key)) throw invalid('private_key does not match the certificate (the first one in certificate_chain).');
  if (new Date(leaf.validTo) <= now) throw invalid(`The certificate expired on ${isoTime(new Date(leaf.validTo))}; upload a current one.`);
  if (!namesOf(leaf).length) throw invalid('The certificate names no DNS name (subjectAltName or CN).');
  chain.slice(1).forEach((issuer, i) => {
    if (!(chain[i] as X509Certificate).checkIssued(issuer)) throw invalid(`Certificate ${i + 1} of certificate_chain is not issued by the one after it; list the leaf first, then its intermediates in order.`);
  });
  const normalizedKey = key.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { chainPem: chain.map((c) => c.toString()).join(''), keyPem: normalizedKey };
}

/** A certificate for the data plane from a stored chain and key. */
export const tlsCertificate = (id: string, chainPem: string, keyPem: string): TlsCertificate =>
  ({ id, names: namesOf(parseChain(chainPem)[0] as X509Certificate), chainPem, keyPem });

/**
 * The certificate to present for an SNI server name: an exact name first,
 * then a wildcard one label deep (`*.example.com` covers `a.example.com`,
 * not `a.b.example.com`), else the fallback (the platform certificate).
 */
export function certificateFor<T extends Pick<TlsCertificate, 'names'>>(certs: readonly T[], servername: string, fallback: T | undefined): T | undefined {
  const name = servername.toLowerCase();
  const dot = name.indexOf('.');
  const wildcard = dot > 0 ? `*${name.slice(dot)}` : '';
  return certs.find((c) => c.names.includes(name)) ?? (wildcard ? certs.find((c) => c.names.includes(wildcard)) : undefined) ?? fallback;
}

import type { AppDomain, SniEndpoint } from '../domain/index.js';
import { certificateFor, tlsCertificate, type TlsCertificate } from './certificates.js';

/**
 * What the data planes serve on the HTTPS port: the platform certificate
 * first (the fallback, and the one for `*.BASE_DOMAIN`), then each SNI
 * endpoint's certificate for exactly its own app's custom domains that it
 * covers. So an app's certificate is never presented for another app's
 * hostname, whatever names it claims; an endpoint covering none of its
 * app's domains is not served.
 */
export function buildCertificateTable(
  platform: TlsCertificate,
  endpoints: readonly SniEndpoint[],
  domains: readonly AppDomain[],
): TlsCertificate[] {
  const table = [platform];
  for (const e of endpoints) {
    const cert = tlsCertificate(e.id, e.certificateChain, e.privateKey);
    const names = domains.filter((d) => d.appId === e.appId && d.kind === 'custom' && certificateFor([cert], d.hostname, undefined)).map((d) => d.hostname);
    if (names.length) table.push({ ...cert, names });
  }
  return table;
}

import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { certificateFor, type TlsCertificate } from '../certificates.js';

/** A certificate with its secure context, made once per certificate content. */
interface Served {
  cert: TlsCertificate;
  names: readonly string[];
  context: SecureContext;
}

/**
 * The HTTPS side of the Node plane: one `https.Server` whose SNICallback
 * picks the certificate by exact name, the first one (the platform's) for
 * every other name and for clients that send no SNI.
 */
export function createTlsServer(maxHeaderSize: number): { server: HttpsServer; setCertificates(certs: readonly TlsCertificate[]): void } {
  let served: Served[] = [];
  const server = createHttpsServer({
    maxHeaderSize,
    requestTimeout: 0,
    keepAliveTimeout: 60_000,
    SNICallback: (servername, cb) => cb(null, certificateFor(served, servername, served[0])?.context),
  });
  return {
    server,
    setCertificates(certs) {
      // Contexts are kept for certificates whose content did not change: a TLS context costs a key parse.
      const known = new Map(served.map((s) => [s.cert.chainPem + s.cert.keyPem, s.context]));
      served = certs.map((cert) => ({
        cert,
        names: cert.names,
        context: known.get(cert.chainPem + cert.keyPem) ?? createSecureContext({ cert: cert.chainPem, key: cert.keyPem }),
      }));
      const fallback = certs[0];
      if (fallback) server.setSecureContext({ cert: fallback.chainPem, key: fallback.keyPem });
    },
  };
}

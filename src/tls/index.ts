/**
 * TLS: the platform certificate authority and the leaf certificates it signs
 * (the rendezvous endpoint of one-off dynos, the router's platform certificate).
 * The CA is created once under `$CUPAAS_HOME/tls` and never leaves it; clients
 * trust `ca.pem` (e.g. the heroku CLI through NODE_EXTRA_CA_CERTS).
 * Certificates are made by the `openssl` program through argv (Node has no
 * X.509 generator). Must not know apps, records or HTTP.
 */
export { ensurePlatformCa, platformCaPath, type PlatformCa } from './ca.js';
export { issueCertificate, type IssuedCertificate, type IssueOptions } from './issue.js';
export { platformCaReport } from './doctor.js';

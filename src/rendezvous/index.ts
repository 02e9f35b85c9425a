/**
 * Rendezvous: the TLS endpoint clients attach to one-off dynos through
 * (`attach_url: rendezvous://HOST:PORT/SECRET`), speaking what the official
 * Heroku CLI speaks. Owns the connection protocol only; the one-off dyno
 * service owns the dynos and the secrets. Its certificate is signed by the
 * platform CA.
 */
export { startRendezvous, type Rendezvous, type RendezvousDeps } from './server.js';

import { invalid } from '../../shared/errors.js';
import { createHttpDrain } from './http.js';
import { createSyslogDrain, socketHost } from './syslog.js';
import type { DrainFactory, DrainOptions, LogDrain } from './types.js';

/** Every kind of drain, by URL scheme. A new kind adds one factory here and passes the contract test. */
export const DRAIN_KINDS: Readonly<Record<string, DrainFactory>> = {
  'syslog:': (url, opts) => createSyslogDrain(url, opts, false),
  'syslog+tls:': (url, opts) => createSyslogDrain(url, opts, true),
  'https:': createHttpDrain,
  'http:': createHttpDrain,
};

const MAX_URL_LENGTH = 2048;
const SUPPORTED = 'syslog://HOST:PORT, syslog+tls://HOST:PORT or https://HOST/PATH';
const unsupported = (protocol: string) => invalid(`Drains cannot send to ${protocol} URLs; use ${SUPPORTED}.`);
const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

/** Checks a drain URL as a user gave it; the errors say what would work. */
export function parseDrainUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) throw invalid(`A drain URL is at most ${MAX_URL_LENGTH} characters.`);
  // The URL parser would silently drop tabs and newlines; refuse them, and every other control character.
  if (/[\x00-\x1f\x7f]/.test(raw)) throw invalid('A drain URL must not contain control characters.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`That drain URL is not a URL; use ${SUPPORTED}.`);
  }
  if (!Object.hasOwn(DRAIN_KINDS, url.protocol)) throw unsupported(url.protocol);
  if (!url.hostname) throw invalid(`A drain URL needs a host; use ${SUPPORTED}.`);
  try {
    decodeURIComponent(url.username + url.password);
  } catch {
    throw invalid('The credentials in that drain URL have a malformed %-escape.');
  }
  const syslog = url.protocol.startsWith('syslog');
  if (syslog && !url.port) throw invalid(`A syslog drain needs a port, like ${url.protocol}//${url.hostname}:6514.`);
  if (syslog && (url.username || url.password)) {
    throw invalid('Syslog drains carry no credentials: the collector identifies lines by the drain token.');
  }
  if (url.protocol === 'http:' && (url.username || url.password) && !isLoopback(socketHost(url))) {
    throw invalid('Credentials would cross the network unencrypted over http://; use the https:// URL.');
  }
  return url;
}

/** A drain for a URL that passed `parseDrainUrl`, if its host is an allowed destination. */
export function openDrain(url: URL, opts: DrainOptions): LogDrain {
  const factory = DRAIN_KINDS[url.protocol];
  if (!factory) throw unsupported(url.protocol);
  opts.destinations.checkUrl(url);
  return factory(url, opts);
}

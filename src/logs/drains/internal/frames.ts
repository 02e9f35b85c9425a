import { formatTimestamp } from '../../internal/format.js';
import type { DrainMessage } from '../types.js';

/** Syslog facilities as Logplex uses them: local7 for dyno output, local3 for the router, local0 for the rest. */
const FACILITY = { local0: 16, local3: 19, local7: 23 } as const;
const SEVERITY_INFO = 6;

function priority(m: Pick<DrainMessage, 'source' | 'process'>): number {
  const facility = m.source === 'app' ? FACILITY.local7 : m.process === 'router' ? FACILITY.local3 : FACILITY.local0;
  return facility * 8 + SEVERITY_INFO;
}

/** The RFC 5424 header up to and including PROCID: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID`. */
const header = (m: DrainMessage, hostname: string): string =>
  `<${priority(m)}>1 ${formatTimestamp(m.epochMs)} ${hostname} ${m.source} ${m.process}`;

/**
 * A syslog drain's message: the drain token as HOSTNAME, the source as
 * APP-NAME, the dyno as PROCID, and nil MSGID and STRUCTURED-DATA.
 */
export const syslogMessage = (m: DrainMessage, token: string): string => `${header(m, token)} - - ${m.message}`;

/**
 * An HTTP drain's message as Logplex posts it: the literal hostname `host`,
 * a nil MSGID, no STRUCTURED-DATA, and a trailing newline.
 */
export const httpMessage = (m: DrainMessage): string => `${header(m, 'host')} - ${m.message}\n`;

/** RFC 6587 octet counting (also the logplex-1 body): `<byte length> <message>`. */
export const octetFrame = (message: string): string => `${Buffer.byteLength(message, 'utf8')} ${message}`;
